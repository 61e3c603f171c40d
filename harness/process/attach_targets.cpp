#include "harness/process/attach_targets.h"

#include <fnmatch.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>

namespace mcpleak {
namespace {

// pid -> parent, for walking up from any process.
std::map<pid_t, pid_t> parents_of(const std::vector<ProcessEntry>& all) {
  std::map<pid_t, pid_t> parent;
  for (const auto& e : all) parent[e.pid] = e.ppid;
  return parent;
}

std::set<pid_t> self_and_ancestors(const std::map<pid_t, pid_t>& parent, pid_t self) {
  std::set<pid_t> chain;
  for (pid_t p = self; p > 1 && chain.insert(p).second;) {
    const auto it = parent.find(p);
    if (it == parent.end()) break;
    p = it->second;
  }
  return chain;
}

// Processes below `self`: mcpleak's own helpers (the process guardian) carry its command
// line, pattern included.
std::set<pid_t> descendants(const std::vector<ProcessEntry>& all, pid_t self) {
  std::set<pid_t> below{self};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& e : all) {
      if (below.contains(e.ppid) && below.insert(e.pid).second) grew = true;
    }
  }
  return below;
}

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

}  // namespace

Result<std::vector<pid_t>> match_attach_pattern(const std::vector<ProcessEntry>& all, std::string_view pattern,
                                                pid_t self) {
  if (pattern.empty()) return Error(Errc::usage, "--attach-name needs a pattern");
  const std::string p(pattern);
  const std::string anywhere = "*" + p + "*";
  const auto parent = parents_of(all);
  auto excluded = self_and_ancestors(parent, self);
  excluded.merge(descendants(all, self));
  std::set<pid_t> matched;
  for (const auto& e : all) {
    if (excluded.contains(e.pid)) continue;
    if (glob(p, e.name) || (!e.command.empty() && glob(anywhere, e.command))) matched.insert(e.pid);
  }
  // Of a matched process and a matched ancestor, the ancestor's tree holds both.
  std::vector<pid_t> roots;
  for (pid_t pid : matched) {
    bool under_match = false;
    std::set<pid_t> seen{pid};
    for (auto it = parent.find(pid); it != parent.end() && it->second > 1 && seen.insert(it->second).second;
         it = parent.find(it->second)) {
      if (matched.contains(it->second)) {
        under_match = true;
        break;
      }
    }
    if (!under_match) roots.push_back(pid);
  }
  if (roots.empty()) {
    return Error(Errc::usage, "--attach-name '" + p +
                                  "' matches no running process (matched against process names and command "
                                  "lines; is the server started?)");
  }
  return roots;
}

std::string describe_processes(const std::vector<pid_t>& pids) {
  const auto all = list_all_processes();
  std::string out;
  for (pid_t pid : pids) {
    std::string command;
    if (all) {
      for (const auto& e : *all) {
        if (e.pid == pid) command = e.command.empty() ? e.name : e.command;
      }
    }
    if (command.size() > 80) command = command.substr(0, 77) + "...";
    out += (out.empty() ? "" : ", ") + std::to_string(pid) + (command.empty() ? "" : " (" + command + ")");
  }
  return out;
}

bool process_exists(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

Result<std::vector<pid_t>> resolve_attach_targets(const std::vector<pid_t>& pids,
                                                  const std::vector<std::string>& patterns) {
  std::vector<pid_t> roots;
  auto add = [&](pid_t pid) {
    if (std::find(roots.begin(), roots.end(), pid) == roots.end()) roots.push_back(pid);
  };
  for (pid_t pid : pids) {
    if (pid <= 0) return Error(Errc::usage, "--attach needs a process id above 0, got " + std::to_string(pid));
    if (!process_exists(pid)) return Error(Errc::usage, "--attach " + std::to_string(pid) + ": no such process");
    add(pid);
  }
  if (!patterns.empty() || !pids.empty()) {
    auto all = list_all_processes();
    if (!all) return Error(all.error()).with("--attach");
    const auto mine = self_and_ancestors(parents_of(*all), ::getpid());
    for (pid_t pid : roots) {
      if (mine.contains(pid)) {
        return Error(Errc::usage, "--attach " + std::to_string(pid) +
                                      " is mcpleak itself or the shell that started it");
      }
    }
    for (const auto& pattern : patterns) {
      auto matched = match_attach_pattern(*all, pattern, ::getpid());
      if (!matched) return matched.error();
      for (pid_t pid : *matched) add(pid);
    }
  }
  return roots;
}

}  // namespace mcpleak
