// list_process_tree on a real tree this test spawns (spawned_tree_linux.h), through both
// strategies: per-thread children files and the /proc/*/stat scan.
#include "probes/process_tree_linux.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "probes/probe.h"
#include "probes/proc_read_linux.h"
#include "probes/proc_stat_parse.h"
#include "tests/support/catch.h"
#include "tests/unit/probes/spawned_tree_linux.h"

using namespace mcpleak;

namespace {

void check_is_the_tree(const std::vector<pid_t>& listed, const test::SpawnedTree& tree) {
  REQUIRE(listed.size() == 3);
  CHECK(listed.front() == tree.root());  // root first, then its two children
  std::vector<pid_t> sorted = listed;
  std::sort(sorted.begin(), sorted.end());
  std::vector<pid_t> expected{tree.root(), tree.busy(), tree.idle()};
  std::sort(expected.begin(), expected.end());
  CHECK(sorted == expected);
}

}  // namespace

TEST_CASE("process tree: exactly the spawned 3-process tree, root first", "[probes][linux][live]") {
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());

  SECTION("list_process_tree") {
    auto listed = list_process_tree(tree.root());
    REQUIRE(listed);
    check_is_the_tree(*listed, tree);
  }
  SECTION("stat scan fallback") {
    auto listed = detail::list_tree_from_stat_scan(tree.root());
    REQUIRE(listed);
    check_is_the_tree(*listed, tree);
  }
  SECTION("children files, including a child forked by a non-main thread") {
    if (!detail::children_files_supported()) {
      WARN("kernel without CONFIG_PROC_CHILDREN: children-file walk not exercised");
      return;
    }
    auto listed = detail::list_tree_from_children_files(tree.root());
    REQUIRE(listed);
    check_is_the_tree(*listed, tree);
  }
}

TEST_CASE("process tree: parents come before children in a deeper tree", "[probes][linux][live]") {
  // Our own process is the root here: the spawned tree hangs below it, two levels deep.
  test::SpawnedTree tree(0);
  REQUIRE(tree.ok());
  for (auto* list : {&list_process_tree, &detail::list_tree_from_stat_scan}) {
    auto listed = list(::getpid());
    REQUIRE(listed);
    CHECK(listed->front() == ::getpid());
    auto pos = [&](pid_t pid) {
      return std::find(listed->begin(), listed->end(), pid) - listed->begin();
    };
    REQUIRE(pos(tree.root()) < static_cast<long>(listed->size()));
    REQUIRE(pos(tree.busy()) < static_cast<long>(listed->size()));
    REQUIRE(pos(tree.idle()) < static_cast<long>(listed->size()));
    CHECK(pos(tree.root()) < pos(tree.busy()));
    CHECK(pos(tree.root()) < pos(tree.idle()));
  }
}

TEST_CASE("process tree: a vanished root is Errc::io, process gone", "[probes][linux][live]") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) ::_exit(0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  for (auto* list : {&list_process_tree, &detail::list_tree_from_stat_scan,
                     &detail::list_tree_from_children_files}) {
    auto listed = list(child);
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == Errc::io);
    CHECK(is_process_gone(listed.error()));
  }
}

TEST_CASE("proc stat: live /proc/self/stat matches getpid and getppid", "[probes][linux][live]") {
  std::string buf;
  REQUIRE(read_proc_file("/proc/self/stat", buf));
  auto stat = parse_proc_stat(buf);
  REQUIRE(stat);
  CHECK(stat->pid == ::getpid());
  CHECK(stat->ppid == ::getppid());
}
