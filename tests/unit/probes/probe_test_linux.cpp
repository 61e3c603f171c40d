// The "proc_status" probe and sample_tree on live processes: a spawned tree whose busy
// child dirtied a known amount of memory, our own fds and threads, and a vanished pid.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "probes/probe.h"
#include "probes/proc_read_linux.h"
#include "tests/support/catch.h"
#include "tests/unit/probes/proc_fixture.h"
#include "tests/unit/probes/spawned_tree_linux.h"

using namespace mcpleak;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

// /proc/PID/status read with iostreams and picked apart with the test helpers, to check
// the probe against something that shares no code with it.
std::string status_text(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const PidSample* find_pid(const TreeSample& tree, pid_t pid) {
  for (const auto& one : tree.pids)
    if (one.pid == pid) return &one;
  return nullptr;
}

}  // namespace

TEST_CASE("probe: named proc_status", "[probes][linux][live]") {
  CHECK(make_footprint_probe()->name() == "proc_status");
}

TEST_CASE("probe: sample_tree sums the tree and sees the child that dirtied 64 MiB",
          "[probes][linux][live]") {
  // NOTE: 1 MiB over the 64 MiB claimed: the kernel's per-CPU RSS counters are read
  // approximately (mm_struct rss_stat is a percpu_counter), and idle inherited a few
  // more pages than busy (the root's thread stack); both are far below 1 MiB.
  test::SpawnedTree tree(65 * MiB);
  REQUIRE(tree.ok());
  auto probe = make_footprint_probe();

  auto sampled = sample_tree(*probe, tree.root());
  REQUIRE(sampled);
  REQUIRE(sampled->pids.size() == 3);
  CHECK(sampled->pids.front().pid == tree.root());
  std::uint64_t footprint_sum = 0, rss_sum = 0;
  for (const auto& one : sampled->pids) {
    footprint_sum += one.footprint_bytes;
    rss_sum += one.rss_bytes;
  }
  CHECK(sampled->footprint_bytes == footprint_sum);
  CHECK(sampled->rss_bytes == rss_sum);

  const PidSample* root = find_pid(*sampled, tree.root());
  const PidSample* busy = find_pid(*sampled, tree.busy());
  const PidSample* idle = find_pid(*sampled, tree.idle());
  REQUIRE(root);
  REQUIRE(busy);
  REQUIRE(idle);
  CHECK(root->ppid == ::getpid());
  CHECK(busy->ppid == tree.root());
  CHECK(idle->ppid == tree.root());
  CHECK(busy->footprint_bytes >= idle->footprint_bytes + 64 * MiB);
  // The dirty pages are private to busy: smaps_rollup says so too.
  REQUIRE(busy->private_dirty_bytes);
  REQUIRE(idle->private_dirty_bytes);
  CHECK(*busy->private_dirty_bytes >= *idle->private_dirty_bytes + 64 * MiB);
  REQUIRE(busy->pss_bytes);
  CHECK(*busy->pss_bytes >= 64 * MiB);
  CHECK(busy->rss_bytes >= busy->footprint_bytes - busy->swap_bytes.value_or(0));
}

TEST_CASE("probe: a paused process's sample matches its status file", "[probes][linux][live]") {
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());
  auto probe = make_footprint_probe();
  // idle sits in pause(), so its counters do not move between the two reads.
  auto one = probe->sample(tree.idle());
  REQUIRE(one);
  const std::string text = status_text(tree.idle());
  const auto rss_anon_kb = test::line_number(text, "RssAnon");
  const auto swap_kb = test::line_number(text, "VmSwap");
  REQUIRE(rss_anon_kb);
  CHECK(one->pid == tree.idle());
  CHECK(one->name == *test::line_value(text, "Name"));
  CHECK(one->ppid == tree.root());
  CHECK(one->footprint_bytes == (*rss_anon_kb + swap_kb.value_or(0)) * 1024);
  CHECK(one->rss_bytes == *test::line_number(text, "VmRSS") * 1024);
  REQUIRE(one->swap_bytes);
  CHECK(*one->swap_bytes == swap_kb.value_or(0) * 1024);
  REQUIRE(one->threads);
  CHECK(*one->threads == 1);
}

TEST_CASE("probe: fds and threads follow what this process opens and starts",
          "[probes][linux][live]") {
  auto probe = make_footprint_probe();
  auto before = probe->sample(::getpid());
  REQUIRE(before);
  REQUIRE(before->fds);
  REQUIRE(before->threads);

  int extra[3];
  for (int& fd : extra) fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::thread waiter([&] {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return release; });
  });
  auto during = probe->sample(::getpid());
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_one();
  waiter.join();
  for (int fd : extra) ::close(fd);

  REQUIRE(during);
  for (int fd : extra) CHECK(fd >= 0);
  REQUIRE(during->fds);
  REQUIRE(during->threads);
  CHECK(*during->fds == *before->fds + 3);
  CHECK(*during->threads == *before->threads + 1);
}

TEST_CASE("probe: a vanished pid is Errc::io, process gone", "[probes][linux][live]") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) ::_exit(0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);

  auto probe = make_footprint_probe();
  auto one = probe->sample(child);
  REQUIRE_FALSE(one);
  CHECK(one.error().code == Errc::io);
  CHECK(is_process_gone(one.error()));
  CHECK(one.error().describe().find("/proc/" + std::to_string(child) + "/status") !=
        std::string::npos);

  auto tree = sample_tree(*probe, child);
  REQUIRE_FALSE(tree);
  CHECK(tree.error().code == Errc::io);
}

TEST_CASE("probe: a kernel thread is a parse error, not a zero footprint",
          "[probes][linux][live]") {
  // kthreadd is pid 2 on Linux; in a pid namespace without it, there is nothing to test.
  std::string buf;
  if (!read_proc_file("/proc/2/status", buf) || buf.find("Kthread:\t1") == std::string::npos) {
    WARN("no kernel thread visible as pid 2");
    return;
  }
  auto one = make_footprint_probe()->sample(2);
  REQUIRE_FALSE(one);
  CHECK(one.error().code == Errc::parse);
}
