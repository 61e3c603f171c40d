// harness/watch/byte_pump: one direction of the proxy, over real pipes. Bytes pass
// unchanged and in order, the observer sees exactly them, EOF travels on, and a pump
// whose reader stopped reading still stops when asked.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "harness/watch/byte_pump.h"
#include "tests/support/catch.h"
#include "tests/support/cloexec_pipe.h"

using mcpleak::BytePump;
using mcpleak::PumpEnd;
using mcpleak::UniqueFd;

namespace {

struct Pipe {
  UniqueFd read, write;
  Pipe() {
    int fds[2];
    REQUIRE(mcpleak::test::cloexec_pipe(fds));
    read = UniqueFd(fds[0]);
    write = UniqueFd(fds[1]);
  }
};

std::string read_to_eof(int fd) {
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

TEST_CASE("pump: 3 MiB of random bytes arrive unchanged, observed exactly, then EOF", "[watch][pump]") {
  Pipe in, out;
  std::string data(3u << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : data) c = static_cast<char>(rng());
  std::mutex m;
  std::string seen;
  BytePump pump(std::move(in.read), std::move(out.write), [&](std::string_view b, BytePump::Clock::time_point) {
    std::lock_guard lock(m);
    seen.append(b);
  });
  std::thread writer([&] {
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t n = std::min<std::size_t>(data.size() - at, 1 + rng() % 100000);
      REQUIRE(::write(in.write.get(), data.data() + at, n) == static_cast<ssize_t>(n));
      at += n;
    }
    in.write.reset();  // EOF for the pump
  });
  const std::string got = read_to_eof(out.read.get());  // ends only once the pump closed its end
  writer.join();
  REQUIRE(pump.wait_finished(std::chrono::seconds(30)));
  CHECK(got == data);
  std::lock_guard lock(m);
  CHECK(seen == data);
  CHECK(pump.end() == PumpEnd::source_closed);
  CHECK(pump.bytes() == data.size());
}

TEST_CASE("pump: stop() ends a pump whose reader never reads", "[watch][pump]") {
  ::signal(SIGPIPE, SIG_IGN);
  Pipe in, out;
  BytePump pump(std::move(in.read), std::move(out.write), nullptr);
  const std::string block(1u << 20, 'x');  // far more than a pipe holds
  std::thread writer([&] { (void)!::write(in.write.get(), block.data(), block.size()); });
  // Wait until the pump is stuck on a full pipe: it has passed on a pipe's worth.
  for (int i = 0; i < 300 && pump.bytes() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK_FALSE(pump.finished());
  pump.stop();
  CHECK(pump.wait_finished(std::chrono::seconds(10)));
  CHECK(pump.end() == PumpEnd::stopped);
  writer.join();  // the pump closed its source: the blocked write failed with EPIPE
}

TEST_CASE("pump: a closed destination ends it, unless it keeps draining", "[watch][pump]") {
  ::signal(SIGPIPE, SIG_IGN);
  SECTION("ends") {
    Pipe in, out;
    out.read.reset();
    BytePump pump(std::move(in.read), std::move(out.write), nullptr);
    REQUIRE(::write(in.write.get(), "hello\n", 6) == 6);
    REQUIRE(pump.wait_finished(std::chrono::seconds(10)));
    CHECK(pump.end() == PumpEnd::destination_closed);
    CHECK(pump.end_detail().find("write") == 0);
  }
  SECTION("keeps draining: the source never blocks, the observer still sees everything") {
    Pipe in, out;
    out.read.reset();
    std::atomic<std::size_t> seen{0};
    BytePump pump(std::move(in.read), std::move(out.write), [&](std::string_view b, BytePump::Clock::time_point) { seen += b.size(); }, true);
    const std::string block(1u << 20, 'e');
    REQUIRE(::write(in.write.get(), block.data(), block.size()) == static_cast<ssize_t>(block.size()));
    in.write.reset();
    REQUIRE(pump.wait_finished(std::chrono::seconds(30)));
    CHECK(seen.load() == block.size());
    CHECK(pump.end() == PumpEnd::destination_closed);
  }
}
