// The Linux TreeReader on live trees: which Discovery finds a worker thread's child and
// keeps it, a process reparented away leaving the tree, the files it keeps open (and
// closes), a root that exits, and the costly extras (smaps_rollup, the two fd counts).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

pid_t parent_of(pid_t pid) {
  std::string buf;
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  if (!read_proc_file(path.c_str(), buf)) return -1;
  const auto stat = parse_proc_stat(buf);
  return stat ? stat->ppid : -1;
}

}  // namespace

TEST_CASE("tree reader: known pids' main threads find busy, and idle, forked by a worker thread, needs every thread, then stays",
          "[probes][linux][live]") {
  test::SpawnedTree tree(4 * MiB);
  REQUIRE(tree.ok());
  auto reader = make_tree_reader(tree.root());

  auto first = reader->read(Discovery::known);
  REQUIRE(first);
  CHECK(first->pids.front().pid == tree.root());
  CHECK(has(*first, tree.busy()));
  CHECK_FALSE(has(*first, tree.idle()));

  auto wide = reader->read(Discovery::every_thread);
  REQUIRE(wide);
  CHECK(wide->pids.size() == 3);
  CHECK(has(*wide, tree.idle()));

  // Found once, kept while it lives and its parent is in the tree.
  for (int i = 0; i < 3; ++i) {
    auto known = reader->read(Discovery::known);
    REQUIRE(known);
    CHECK(known->pids.size() == 3);
    CHECK(has(*known, tree.idle()));
    CHECK(known->processes == 3);
  }

  // A full scan of /proc finds it too, from scratch.
  auto scanned = make_tree_reader(tree.root())->read(Discovery::full_scan);
  REQUIRE(scanned);
  CHECK(has(*scanned, tree.idle()));
}

TEST_CASE("tree reader: two files kept open per process, closed when the reader goes, no fd growth over ticks",
          "[probes][linux][live]") {
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());
  const auto before = own_fds();
  {
    auto reader = make_tree_reader(tree.root());
    REQUIRE(reader->read(Discovery::every_thread));
    const auto open = own_fds();
    // status and, where the kernel has them, the main thread's children file: per process
    CHECK(open == before + (detail::children_files_supported() ? 6 : 3));
    for (int i = 0; i < 50; ++i) REQUIRE(reader->read(i % 8 == 0 ? Discovery::every_thread : Discovery::known));
    CHECK(own_fds() == open);
  }
  CHECK(own_fds() == before);
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

  ::kill(leaf, SIGKILL);
  ::kill(root, SIGKILL);
  ::waitpid(root, nullptr, 0);
  ::waitpid(leaf, nullptr, WNOHANG);  // ours only if this process is a subreaper
  auto gone = reader->read(Discovery::known);
  REQUIRE_FALSE(gone);
  CHECK(is_process_gone(gone.error()));
  for (int fd : {report[0], report[1], release[0], release[1]}) ::close(fd);
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
    if (p.pid == tree.busy()) CHECK(*p.private_dirty_bytes >= 32 * MiB);
  }
}
