#include "harness/process/orphans.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(100);

bool alive(pid_t pid) {
  // A zombie child of ours still answers kill(0): reap it first, then ask.
  ::waitpid(pid, nullptr, WNOHANG);
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

std::string new_tree_mark() {
  static std::atomic<int> next{0};
  return std::to_string(::getpid()) + "-" + std::to_string(++next);
}

std::vector<ProcessEntry> tree_members(std::span<const ProcessEntry> all, pid_t pgid,
                                       const std::function<bool(const ProcessEntry&)>& marked, pid_t self) {
  std::set<pid_t> members;
  std::multimap<pid_t, pid_t> children;
  for (const ProcessEntry& e : all) {
    if (e.zombie || e.pid == self) continue;
    children.emplace(e.ppid, e.pid);
    if ((pgid > 0 && e.pgid == pgid) || marked(e)) members.insert(e.pid);
  }
  // Descendants of members are members: a child that cleared its environment and left
  // the group is still the server's.
  std::vector<pid_t> frontier(members.begin(), members.end());
  while (!frontier.empty()) {
    const pid_t p = frontier.back();
    frontier.pop_back();
    const auto [lo, hi] = children.equal_range(p);
    for (auto it = lo; it != hi; ++it) {
      if (members.insert(it->second).second) frontier.push_back(it->second);
    }
  }
  std::vector<ProcessEntry> out;
  for (const ProcessEntry& e : all) {
    if (members.contains(e.pid)) out.push_back(e);
  }
  return out;
}

std::vector<ProcessEntry> live_tree_members(const TreeIdentity& id) {
  auto all = list_all_processes();
  if (!all) return {};
  return tree_members(*all, id.pgid,
                      [&](const ProcessEntry& e) { return !id.mark_entry.empty() && process_environment_has(e.pid, id.mark_entry); },
                      ::getpid());
}

std::vector<OrphanProcess> settle_orphans(const TreeIdentity& id, std::chrono::milliseconds grace, Probe& probe,
                                          int cycle) {
  std::map<pid_t, ProcessEntry> seen;
  const auto deadline = Clock::now() + grace;
  std::vector<ProcessEntry> now = live_tree_members(id);
  for (;;) {
    for (const auto& e : now) seen.emplace(e.pid, e);
    if (now.empty() || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPoll);
    now = live_tree_members(id);
  }
  std::set<pid_t> survivors;
  for (const auto& e : now) survivors.insert(e.pid);
  std::vector<OrphanProcess> out;
  for (const auto& [pid, e] : seen) {
    OrphanProcess o;
    o.pid = pid;
    o.ppid = e.ppid;
    o.name = e.name;
    o.command = e.command;
    o.cycle = cycle;
    o.fate = survivors.contains(pid) ? "survived" : "exited in grace";
    if (o.fate == "survived") {
      o.age_s = process_age_s(pid).value_or(0);
      if (auto s = probe.sample(pid)) o.footprint_bytes = s->footprint_bytes;
    }
    out.push_back(std::move(o));
  }
  return out;
}

namespace {

void terminate_listed(std::vector<OrphanProcess>& orphans, std::chrono::milliseconds grace) {
  std::vector<OrphanProcess*> targets;
  for (auto& o : orphans) {
    if (o.fate == "survived" && !o.cleaned_up && alive(o.pid)) targets.push_back(&o);
  }
  for (auto* o : targets) ::kill(o->pid, SIGTERM);
  const auto deadline = Clock::now() + grace;
  auto any_alive = [&] {
    for (auto* o : targets) {
      if (alive(o->pid)) return true;
    }
    return false;
  };
  while (any_alive() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (auto* o : targets) {
    if (alive(o->pid)) ::kill(o->pid, SIGKILL);
  }
  // Reaped when they are our children (subreaper); others go to their own parent.
  for (int i = 0; i < 100 && any_alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (auto* o : targets) o->cleaned_up = !alive(o->pid);
}

}  // namespace

void clean_up_orphans(std::vector<OrphanProcess>& orphans, std::span<const TreeIdentity> trees,
                      std::chrono::milliseconds grace, Probe& probe) {
  for (int round = 0; round < 3; ++round) {
    terminate_listed(orphans, grace);
    bool more = false;
    for (std::size_t t = 0; t < trees.size(); ++t) {
      for (const ProcessEntry& e : live_tree_members(trees[t])) {
        const bool listed = std::any_of(orphans.begin(), orphans.end(), [&](const OrphanProcess& o) {
          return o.pid == e.pid && o.fate == "survived" && !o.cleaned_up;
        });
        if (listed) continue;
        OrphanProcess o;
        o.pid = e.pid;
        o.ppid = e.ppid;
        o.name = e.name;
        o.command = e.command;
        o.cycle = orphans.empty() ? 0 : orphans.back().cycle;
        o.fate = "survived";
        o.age_s = process_age_s(e.pid).value_or(0);
        if (auto s = probe.sample(e.pid)) o.footprint_bytes = s->footprint_bytes;
        orphans.push_back(std::move(o));
        more = true;
      }
    }
    if (!more) return;
  }
}

}  // namespace mcpleak
