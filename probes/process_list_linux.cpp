// list_all_processes for Linux: /proc/*/stat for name and parent, /proc/*/cmdline for
// the command line (NUL-separated arguments, joined here by spaces).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>


#include "probes/proc_read_linux.h"
#include "probes/proc_stat_parse.h"
#include "probes/process_list.h"

namespace mcpleak {

Result<std::vector<ProcessEntry>> list_all_processes() {
  auto proc = ProcDir::open("/proc");
  if (!proc) return std::move(proc.error());
  std::vector<ProcessEntry> out;
  std::string buf;
  char path[64];
  while (const char* name = proc->next()) {
    if (!std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::snprintf(path, sizeof path, "/proc/%s/stat", name);
    if (!read_proc_file(path, buf)) continue;  // exited meanwhile
    auto stat = parse_proc_stat(buf);
    if (!stat) continue;
    ProcessEntry e{stat->pid, stat->ppid, stat->comm, {}, stat->pgrp, stat->state == 'Z'};
    std::snprintf(path, sizeof path, "/proc/%s/cmdline", name);
    if (read_proc_file(path, buf)) {
      while (!buf.empty() && buf.back() == '\0') buf.pop_back();
      for (char& c : buf) {
        if (c == '\0') c = ' ';
      }
      e.command = buf;
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool process_environment_has(pid_t pid, const std::string& entry) {
  std::string buf;
  const std::string path = "/proc/" + std::to_string(pid) + "/environ";
  if (!read_proc_file(path.c_str(), buf)) return false;
  // NUL-separated "NAME=VALUE" strings: match a whole entry, not a suffix of another.
  std::size_t at = 0;
  while (at < buf.size()) {
    const std::size_t end = std::min(buf.find('\0', at), buf.size());
    if (std::string_view(buf).substr(at, end - at) == entry) return true;
    at = end + 1;
  }
  return false;
}

std::optional<double> process_age_s(pid_t pid) {
  std::string stat, uptime;
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  if (!read_proc_file(path.c_str(), stat) || !read_proc_file("/proc/uptime", uptime)) return std::nullopt;
  // Field 22 (starttime, clock ticks since boot): the 20th token after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::optional<double> start;
  int field = 2;
  for (std::size_t at = close + 1; at < stat.size();) {
    while (at < stat.size() && stat[at] == ' ') ++at;
    const std::size_t end = std::min(stat.find(' ', at), stat.size());
    if (end > at && ++field == 22) start = std::strtod(stat.c_str() + at, nullptr);
    at = end;
  }
  if (!start) return std::nullopt;
  const double up_s = std::strtod(uptime.c_str(), nullptr);
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return std::nullopt;
  return std::max(0.0, up_s - static_cast<double>(*start) / static_cast<double>(ticks));
}

}  // namespace mcpleak
