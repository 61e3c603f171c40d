// harness/sampler: the sampler thread on this test's own process, with the platform
// probe, writing samples.jsonl to a temporary directory.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/model/serialize.h"
#include "harness/sampler/sampler.h"
#include "probes/probe.h"
#include "tests/support/catch.h"

using mcpleak::Sample;
using mcpleak::SampleContext;
using mcpleak::Sampler;
using mcpleak::SamplerOptions;
using namespace std::chrono_literals;

namespace {

// A fresh directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("mcpleak-sampler-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("sampler writes one parseable line per sample, in time order", "[sampler][linux]") {
  TempDir dir;
  const auto samples_path = dir.path / "samples.jsonl";
  std::atomic<std::uint64_t> ticks{0};
  Sampler sampler({::getpid()}, Sampler::Clock::now(),
                  SamplerOptions{20ms, samples_path.string()}, [&] {
                    SampleContext c;
                    c.calls = ticks++;  // one more per sample: shows the context is read per tick
                    c.phase = 1;
                    return c;
                  });
  REQUIRE(sampler.start());

  constexpr std::size_t kWanted = 6;
  for (int i = 0; i < 1000 && sampler.count() < kWanted; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(sampler.count() >= kWanted);
  sampler.stop();
  const std::size_t taken = sampler.count();
  sampler.stop();  // idempotent: no extra sample, no hang
  CHECK(sampler.count() == taken);
  CHECK_FALSE(sampler.root_gone());
  CHECK_FALSE(sampler.write_error());

  const auto lines = read_lines(samples_path);
  REQUIRE(lines.size() == taken);
  double last_t = -1;
  std::uint64_t expected_calls = 0;
  for (const auto& line : lines) {
    auto s = mcpleak::sample_from_json(line);
    REQUIRE(s);
    CHECK(s->t_s > last_t);
    last_t = s->t_s;
    CHECK(s->calls == expected_calls++);
    CHECK(s->phase == 1);
    REQUIRE_FALSE(s->tree.pids.empty());
    CHECK(s->tree.pids.front().pid == ::getpid());
    CHECK(s->tree.footprint_bytes > 0);
  }
  const auto seen = sampler.pids_seen();
  CHECK(std::find(seen.begin(), seen.end(), ::getpid()) != seen.end());
  // The in-memory copy matches the file, without the per-pid detail.
  const auto light = sampler.light_samples();
  REQUIRE(light.size() == taken);
  CHECK(light.back().t_s == last_t);
  CHECK(light.back().tree.pids.empty());
}

TEST_CASE("sampler start() fails with Errc::io naming an unwritable path", "[sampler]") {
  const std::string path = "/nonexistent-mcpleak-dir/samples.jsonl";
  Sampler sampler({::getpid()}, Sampler::Clock::now(), SamplerOptions{20ms, path}, nullptr);
  auto started = sampler.start();
  REQUIRE_FALSE(started);
  CHECK(started.error().code == mcpleak::Errc::io);
  CHECK(started.error().describe().find(path) != std::string::npos);
  sampler.stop();  // stopping a sampler that never started is harmless
  CHECK(sampler.count() == 0);
}

TEST_CASE("thinned series: bounded, evenly spaced, from the first sample, every sample counted",
          "[sampler][thinned]") {
  mcpleak::ThinnedSeries series(64);
  for (int i = 0; i < 10000; ++i) {
    mcpleak::Sample s;
    s.t_s = i;
    series.push(s);
    REQUIRE(series.kept().size() < 64);
  }
  CHECK(series.seen() == 10000);
  const auto& kept = series.kept();
  REQUIRE(kept.size() >= 32);  // thinning halves a full store, never more
  CHECK(kept.front().t_s == 0);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(kept[i].t_s == static_cast<double>(i * series.stride()));
  }
  // The newest kept sample is within one stride of the newest pushed.
  CHECK(kept.back().t_s > 10000 - 1 - static_cast<double>(series.stride()));
}

TEST_CASE("thinned series: below the cap nothing is dropped", "[sampler][thinned]") {
  mcpleak::ThinnedSeries series(64);
  for (int i = 0; i < 63; ++i) {
    mcpleak::Sample s;
    s.t_s = i;
    series.push(s);
  }
  CHECK(series.kept().size() == 63);
  CHECK(series.stride() == 1);
}

// Attached runs sample several roots: their trees are summed, a pid in two of them once,
// and the first root that exits is named.
TEST_CASE("sampler sums several roots once each and names the root that exited", "[sampler]") {
  TempDir dir;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  // The child is both a root of its own and a descendant of this process.
  Sampler sampler({::getpid(), child}, Sampler::Clock::now(),
                  SamplerOptions{20ms, (dir.path / "samples.jsonl").string(), false}, nullptr);
  REQUIRE(sampler.start());
  for (int i = 0; i < 1000 && sampler.count() < 2; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(sampler.count() >= 2);
  const auto first = mcpleak::sample_from_json(read_lines(dir.path / "samples.jsonl").front());
  REQUIRE(first);
  const auto& pids = first->tree.pids;
  CHECK(std::count_if(pids.begin(), pids.end(), [&](const auto& p) { return p.pid == child; }) == 1);
  std::uint64_t sum = 0;
  for (const auto& p : pids) sum += p.footprint_bytes;
  CHECK(first->tree.footprint_bytes == sum);

  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  for (int i = 0; i < 1000 && !sampler.root_gone(); ++i) std::this_thread::sleep_for(10ms);
  CHECK(sampler.root_gone());
  CHECK(sampler.gone_root() == child);
  sampler.stop();
}
