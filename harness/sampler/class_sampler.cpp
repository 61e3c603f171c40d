#include "harness/sampler/class_sampler.h"

#include <fnmatch.h>

#include <algorithm>

#include "probes/macos_tools.h"

namespace mcpleak {

std::map<std::string, std::uint64_t> class_round(std::span<const HeapReport> reports,
                                                 const std::vector<std::string>& keep, std::size_t max_classes) {
  std::map<std::string, std::uint64_t> sums;
  for (const auto& r : reports) {
    for (const auto& c : r.classes) {
      if (!c.name.empty()) sums[c.name] += c.count;
    }
  }
  std::vector<std::pair<std::string, std::uint64_t>> ranked(sums.begin(), sums.end());
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::map<std::string, std::uint64_t> out;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const bool kept = std::any_of(keep.begin(), keep.end(),
                                  [&](const std::string& p) { return ::fnmatch(p.c_str(), ranked[i].first.c_str(), 0) == 0; });
    if (i < max_classes || kept) out.insert(ranked[i]);
  }
  return out;
}

ClassSampler::ClassSampler(Pids pids, std::vector<std::string> keep, std::chrono::seconds period)
    : pids_(std::move(pids)), keep_(std::move(keep)), period_(period) {}

ClassSampler::~ClassSampler() { stop(); }

bool ClassSampler::available() {
#ifdef __APPLE__
  return true;
#else
  return false;
#endif
}

double ClassSampler::read_round() {
  const auto began = std::chrono::steady_clock::now();
  std::vector<HeapReport> reports;
  for (pid_t pid : pids_()) {
    if (failed_.contains(pid)) continue;
    auto report = run_heap(pid);
    if (!report) {
      failed_.insert(pid);
      std::lock_guard lock(mutex_);
      notes_.push_back("heap(1): pid " + std::to_string(pid) + " not counted: " + report.error().describe());
      continue;
    }
    reports.push_back(std::move(*report));
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (reports.empty()) return took;
  auto round = class_round(reports, keep_);
  std::lock_guard lock(mutex_);
  pending_ = std::move(round);
  return took;
}

void ClassSampler::start() {
  if (!available() || thread_.joinable()) return;
  thread_ = std::thread([this] {
    // The first round once the sampler has seen the tree (its first tick).
    for (int i = 0; i < 50 && pids_().empty(); ++i) {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; })) return;
    }
    for (;;) {
      const double took = read_round();
      const auto wait = std::max<std::chrono::duration<double>>(period_, std::chrono::duration<double>(20 * took));
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, wait, [this] { return stopping_; })) return;
    }
  });
}

void ClassSampler::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  read_round();  // the last reading, for the run's last sample
}

std::map<std::string, std::uint64_t> ClassSampler::take_new_round() {
  std::lock_guard lock(mutex_);
  return std::exchange(pending_, {});
}

std::vector<std::string> ClassSampler::notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}

}  // namespace mcpleak
