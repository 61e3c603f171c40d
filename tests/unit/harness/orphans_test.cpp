// harness/process/orphans: which processes belong to a server's tree once its leader is
// gone (pure, on process lists), and the real thing: a setsid'd grandchild that outlives
// its parent is found by the environment mark, listed as a survivor, and cleaned up.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <thread>
#include <string>
#include <vector>

#include "harness/process/child_group.h"
#include "harness/process/orphans.h"
#include "tests/support/catch.h"
#include "tests/unit/harness/read_line.h"

using namespace mcpleak;
using namespace std::chrono_literals;

namespace {

ProcessEntry entry(pid_t pid, pid_t ppid, pid_t pgid, bool zombie = false) {
  return ProcessEntry{pid, ppid, "p" + std::to_string(pid), "cmd " + std::to_string(pid), pgid, zombie};
}

std::vector<pid_t> pids_of(const std::vector<ProcessEntry>& v) {
  std::vector<pid_t> out;
  for (const auto& e : v) out.push_back(e.pid);
  return out;
}

}  // namespace

TEST_CASE("tree members: the group, the marked, their descendants, never zombies or mcpleak", "[orphans]") {
  const pid_t self = 10;
  const std::vector<ProcessEntry> all = {
      entry(1, 0, 1),
      entry(self, 1, self),
      entry(20, self, 20),        // the leader's group, leader gone: a stray child
      entry(21, 20, 20, true),    // a zombie in the group
      entry(30, self, 30),        // setsid'd, reparented to us, marked
      entry(31, 30, 30),          // its child, not marked (cleared its environment)
      entry(40, 1, 40),           // unrelated
      entry(50, self, 50),        // another server of ours (ab), not marked with this mark
  };
  const auto members = tree_members(all, 20, [](const ProcessEntry& e) { return e.pid == 30; }, self);
  CHECK(pids_of(members) == std::vector<pid_t>{20, 30, 31});
  // Without a group (an attached server has none of ours) only the mark counts.
  CHECK(pids_of(tree_members(all, -1, [](const ProcessEntry& e) { return e.pid == 30; }, self)) ==
        std::vector<pid_t>{30, 31});
  // mcpleak itself is never its own server's orphan, even when asked about its group.
  CHECK(pids_of(tree_members(all, self, [](const ProcessEntry&) { return false; }, self)).empty());
}

TEST_CASE("a setsid'd grandchild outlives its server, is found by its mark, and is cleaned up", "[orphans]") {
  become_child_subreaper();
  const std::string mark = new_tree_mark();
  ChildPipes pipes;
  // The grandchild leaves the group (setsid) and says its pid; the leader then exits.
  const std::vector<std::string> argv = {
      "sh", "-c", "setsid sh -c 'echo $$; exec sleep 120' & wait_for=$!; sleep 0.2; exit 0"};
  auto group = ChildGroup::spawn(argv, pipes, {{kTreeMarkVariable, mark}});
  REQUIRE(group);
  const auto line = test::read_line(pipes.stdout_read.get());
  REQUIRE(line.has_value());
  const pid_t grandchild = static_cast<pid_t>(std::stol(*line));
  // The leader exits on its own; wait for it.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!group->poll() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  REQUIRE(group->poll().has_value());

  auto probe = make_footprint_probe();
  const TreeIdentity id{group->leader(), std::string(kTreeMarkVariable) + "=" + mark};
  auto orphans = settle_orphans(id, 500ms, *probe, 0);
  REQUIRE(orphans.size() == 1);
  CHECK(orphans[0].pid == grandchild);
  CHECK(orphans[0].fate == "survived");
  CHECK(orphans[0].command.find("sleep 120") != std::string::npos);
  CHECK(orphans[0].footprint_bytes > 0);
  CHECK(orphans[0].age_s > 0);
  // A different mark does not claim it: another server of the same mcpleak.
  CHECK(live_tree_members(TreeIdentity{-1, std::string(kTreeMarkVariable) + "=" + new_tree_mark()}).empty());

  clean_up_orphans(orphans, std::span<const TreeIdentity>(&id, 1), 2s, *probe);
  CHECK(orphans[0].cleaned_up);
  CHECK((::kill(grandchild, 0) == -1 && errno == ESRCH));
  group->terminate(100ms);
}

TEST_CASE("a server that ends its own child on exit leaves nothing to settle", "[orphans]") {
  const std::string mark = new_tree_mark();
  ChildPipes pipes;
  const std::vector<std::string> argv = {"sh", "-c", "sleep 120 & child=$!; echo ready; kill $child; wait $child; exit 0"};
  auto group = ChildGroup::spawn(argv, pipes, {{kTreeMarkVariable, mark}});
  REQUIRE(group);
  REQUIRE(test::read_line(pipes.stdout_read.get()).has_value());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!group->poll() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  REQUIRE(group->poll().has_value());
  auto probe = make_footprint_probe();
  const auto orphans = settle_orphans(TreeIdentity{group->leader(), std::string(kTreeMarkVariable) + "=" + mark}, 2s,
                                      *probe, 0);
  for (const auto& o : orphans) CHECK(o.fate == "exited in grace");
  group->terminate(100ms);
}
