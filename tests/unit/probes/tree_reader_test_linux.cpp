// The Linux TreeReader on live trees: children of worker threads found and kept, a
// process reparented away leaving the tree, the files it keeps open (and closes, and
// does without past its budget), a root that exits, and the costly extras
// (smaps_rollup, the two fd counts).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <optional>
#include <thread>

#include "probes/pid_read_linux.h"
#include "probes/proc_read_linux.h"
#include "probes/proc_stat_parse.h"
#include "probes/process_tree_linux.h"
#include "probes/tree_reader.h"
#include "tests/support/catch.h"
#include "tests/unit/probes/spawned_tree_linux.h"

using namespace mcpleak;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

bool has(const TreeSample& tree, pid_t pid) {
  return std::any_of(tree.pids.begin(), tree.pids.end(), [&](const PidSample& p) { return p.pid == pid; });
}

std::uint32_t own_fds() { return detail::fd_count_by_listing(::getpid()).value_or(0); }

// Kills a forked test process's whole group and reaps what of it is ours when the test
// ends, however it ends (a failed REQUIRE included). The child calls setpgid(0, 0); the
// parent too, so that the group exists before either goes on.
struct GroupGuard {
  explicit GroupGuard(pid_t leader) : leader(leader) {
    if (leader > 0) ::setpgid(leader, leader);
  }
  GroupGuard(const GroupGuard&) = delete;
  GroupGuard& operator=(const GroupGuard&) = delete;
  ~GroupGuard() {
    if (leader <= 0) return;
    ::kill(-leader, SIGKILL);
    while (::waitpid(-leader, nullptr, 0) > 0 || errno == EINTR) {
    }
  }
  pid_t leader;
};

pid_t parent_of(pid_t pid) {
  std::string buf;
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  if (!read_proc_file(path.c_str(), buf)) return -1;
  const auto stat = parse_proc_stat(buf);
  return stat ? stat->ppid : -1;
}

}  // namespace

TEST_CASE("tree reader: idle, forked by a worker thread, is found at the first tick and kept", "[probes][linux][live]") {
  test::SpawnedTree tree(4 * MiB);
  REQUIRE(tree.ok());
  auto reader = make_tree_reader(tree.root());
  for (int i = 0; i < 3; ++i) {
    auto known = reader->read(Discovery::known);
    REQUIRE(known);
    CHECK(known->pids.front().pid == tree.root());
    CHECK(known->pids.size() == 3);
    CHECK(has(*known, tree.busy()));
    CHECK(has(*known, tree.idle()));
    CHECK(known->processes == 3);
  }
  // A full scan of /proc finds it too, from scratch.
  auto scanned = make_tree_reader(tree.root())->read(Discovery::full_scan);
  REQUIRE(scanned);
  CHECK(has(*scanned, tree.idle()));
}

// A process whose worker thread forks a child on a byte from `go`, after the reader has
// listed its threads: the next known tick reads that thread's kept-open children file.
TEST_CASE("tree reader: a child forked later by a worker thread appears at the next known tick", "[probes][linux][live]") {
  int go[2];
  REQUIRE(::pipe2(go, O_CLOEXEC) == 0);
  static int go_fd;
  go_fd = go[0];
  const pid_t root = ::fork();
  REQUIRE(root >= 0);
  if (root == 0) {
    ::setpgid(0, 0);
    pthread_t worker;
    auto fork_on_byte = [](void*) -> void* {
      char byte;
      if (::read(go_fd, &byte, 1) == 1 && ::fork() == 0) {
        for (;;) ::pause();
      }
      for (;;) ::pause();
    };
    if (::pthread_create(&worker, nullptr, fork_on_byte, nullptr) != 0) ::_exit(3);
    for (;;) ::pause();
  }
  GroupGuard guard(root);
  auto reader = make_tree_reader(root);
  // Until the worker thread exists the root has one thread; wait for two.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::optional<TreeSample> tick;
  for (;;) {
    auto r = reader->read(Discovery::known);
    REQUIRE(r);
    tick = std::move(*r);
    if (tick->threads.value_or(0) >= 2 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(tick->threads.value_or(0) == 2);
  CHECK(tick->pids.size() == 1);

  REQUIRE(::write(go[1], "x", 1) == 1);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto r = reader->read(Discovery::known);
    REQUIRE(r);
    tick = std::move(*r);
  } while (tick->pids.size() < 2 && std::chrono::steady_clock::now() < deadline);
  CHECK(tick->pids.size() == 2);
  if (tick->pids.size() == 2) CHECK(tick->pids[1].ppid == root);
  for (int fd : go) ::close(fd);
}

TEST_CASE("tree reader: a file kept open per process and per thread, closed when the reader goes, no fd growth over ticks",
          "[probes][linux][live]") {
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());
  const auto before = own_fds();
  {
    auto reader = make_tree_reader(tree.root());
    auto first = reader->read(Discovery::every_thread);
    REQUIRE(first);
    // status per process and, where the kernel has them, a children file per thread
    std::uint32_t expected = 0;
    for (const auto& p : first->pids) expected += 1 + (detail::children_files_supported() ? p.threads.value_or(0) : 0);
    const auto open = own_fds();
    CHECK(open == before + expected);
    for (int i = 0; i < 50; ++i) REQUIRE(reader->read(i % 8 == 0 ? Discovery::every_thread : Discovery::known));
    CHECK(own_fds() == open);
  }
  CHECK(own_fds() == before);
}

TEST_CASE("tree reader: past its budget of open files it reads the rest of the tree with open and close", "[probes][linux][live]") {
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());
  const auto before = own_fds();
  auto reader = make_tree_reader(tree.root(), 1);
  REQUIRE(reader->read(Discovery::every_thread));
  CHECK(own_fds() == before + 1);  // the root's status only
  for (int i = 0; i < 10; ++i) {
    auto tick = reader->read(i % 8 == 0 ? Discovery::every_thread : Discovery::known);
    REQUIRE(tick);
    CHECK(tick->pids.size() == 3);
    CHECK(has(*tick, tree.busy()));
    CHECK(has(*tick, tree.idle()));  // from the root's thread listing, on open and close
  }
  CHECK(own_fds() == before + 1);
}

TEST_CASE("tree reader: a process reparented away (its parent exited) leaves the tree, and a root that exits is gone",
          "[probes][linux][live]") {
  // root -> middle -> leaf; middle exits on a byte from `release`, root reaps it, and
  // leaf is reparented to the nearest subreaper or init: no longer root's descendant.
  int report[2], release[2];
  REQUIRE(::pipe2(report, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(release, O_CLOEXEC) == 0);
  const pid_t root = ::fork();
  REQUIRE(root >= 0);
  if (root == 0) {
    ::setpgid(0, 0);
    const pid_t middle = ::fork();
    if (middle == 0) {
      const pid_t leaf = ::fork();
      if (leaf == 0) {
        for (;;) ::pause();
      }
      if (::write(report[1], &leaf, sizeof leaf) != static_cast<ssize_t>(sizeof leaf)) ::_exit(1);
      char byte;
      (void)::read(release[0], &byte, 1);
      ::_exit(0);
    }
    ::waitpid(middle, nullptr, 0);
    for (;;) ::pause();
  }
  GroupGuard guard(root);  // root, middle and leaf: leaf stays in the group when reparented
  struct Pipes {
    int* ends[2];
    ~Pipes() {
      for (int* p : ends) ::close(p[0]), ::close(p[1]);
    }
  } pipes{{report, release}};
  pid_t leaf = -1;
  REQUIRE(::read(report[0], &leaf, sizeof leaf) == static_cast<ssize_t>(sizeof leaf));

  auto reader = make_tree_reader(root);
  auto all = reader->read(Discovery::every_thread);
  REQUIRE(all);
  CHECK(all->pids.size() == 3);
  CHECK(has(*all, leaf));

  REQUIRE(::write(release[1], "x", 1) == 1);
  // Deadline sized for a loaded 2-core machine; the reparenting itself takes microseconds.
  // Until then middle may still be a zombie child of root, which stays in the tree.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    auto now = reader->read(Discovery::known);
    REQUIRE(now);
    if (now->pids.size() == 1 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto after = reader->read(Discovery::known);
  REQUIRE(after);
  CHECK(after->pids.size() == 1);
  CHECK_FALSE(has(*after, leaf));
  CHECK(parent_of(leaf) != root);

  ::kill(-root, SIGKILL);
  ::waitpid(root, nullptr, 0);
  auto gone = reader->read(Discovery::known);
  REQUIRE_FALSE(gone);
  CHECK(is_process_gone(gone.error()));
}

TEST_CASE("tree reader extras: smaps_rollup sees busy's dirty memory, and both fd counts agree", "[probes][linux][live]") {
  test::SpawnedTree tree(32 * MiB);
  REQUIRE(tree.ok());
  auto reader = make_tree_reader(tree.root());
  auto read = reader->read(Discovery::every_thread);
  REQUIRE(read);
  for (auto& p : read->pids) {
    INFO("pid " << p.pid);
    CHECK_FALSE(p.fds.has_value());  // not read until asked for
    CHECK_FALSE(p.pss_bytes.has_value());
    CHECK(reader->add_memory_detail(p));
    CHECK(reader->add_fd_count(p));
    REQUIRE(p.fds.has_value());
    const auto listed = detail::fd_count_by_listing(p.pid);
    REQUIRE(listed.has_value());
    CHECK(*p.fds == *listed);
    // Linux 6.2+ gives the count as the folder's size; older kernels give 0 (nullopt).
    if (const auto by_size = detail::fd_count_by_stat(p.pid)) CHECK(*by_size == *listed);
    if (p.pid == tree.busy()) {
      REQUIRE(p.private_dirty_bytes.has_value());
      CHECK(*p.private_dirty_bytes >= 32 * MiB);
    }
  }
}
