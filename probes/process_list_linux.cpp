// list_all_processes for Linux: /proc/*/stat for name and parent, /proc/*/cmdline for
// the command line (NUL-separated arguments, joined here by spaces).
#include <cctype>
#include <cstdio>

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
    ProcessEntry e{stat->pid, stat->ppid, stat->comm, {}};
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

}  // namespace mcpleak
