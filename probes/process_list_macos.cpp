// list_all_processes for macOS: proc_listallpids and PROC_PIDT_SHORTBSDINFO (libproc) for
// name and parent; the command line from sysctl KERN_PROCARGS2, which holds argc, the
// executable path, padding NULs, then argv (readable for our own user's processes only).
#include <errno.h>
#include <libproc.h>
#include <sys/proc_info.h>
#include <sys/sysctl.h>

#include <cstring>
#include <string>
#include <vector>

#include "probes/process_list.h"

namespace mcpleak {
namespace {

std::string command_line(pid_t pid) {
  int mib[3] = {CTL_KERN, KERN_PROCARGS2, static_cast<int>(pid)};
  std::size_t size = 0;
  if (::sysctl(mib, 3, nullptr, &size, nullptr, 0) != 0 || size < sizeof(int)) return {};
  std::vector<char> buf(size);
  if (::sysctl(mib, 3, buf.data(), &size, nullptr, 0) != 0 || size < sizeof(int)) return {};
  int argc = 0;
  std::memcpy(&argc, buf.data(), sizeof argc);
  std::size_t at = sizeof argc;
  while (at < size && buf[at] != '\0') ++at;  // the executable path
  while (at < size && buf[at] == '\0') ++at;  // its padding
  std::string out;
  for (int i = 0; i < argc && at < size; ++i) {
    const char* arg = buf.data() + at;
    const std::size_t len = ::strnlen(arg, size - at);
    if (!out.empty()) out += ' ';
    out.append(arg, len);
    at += len + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<ProcessEntry>> list_all_processes() {
  const int estimate = proc_listallpids(nullptr, 0);
  if (estimate < 0) return Error(Errc::io, std::string("proc_listallpids: ") + std::strerror(errno));
  std::vector<pid_t> pids(static_cast<std::size_t>(estimate) + 64);
  const int got = proc_listallpids(pids.data(), static_cast<int>(pids.size() * sizeof(pid_t)));
  if (got < 0) return Error(Errc::io, std::string("proc_listallpids: ") + std::strerror(errno));
  pids.resize(static_cast<std::size_t>(got));
  std::vector<ProcessEntry> out;
  for (pid_t pid : pids) {
    if (pid <= 0) continue;
    proc_bsdshortinfo info{};
    if (proc_pidinfo(pid, PROC_PIDT_SHORTBSDINFO, 0, &info, sizeof info) != sizeof info) continue;
    ProcessEntry e;
    e.pid = pid;
    e.ppid = static_cast<pid_t>(info.pbsi_ppid);
    e.name = std::string(info.pbsi_comm, ::strnlen(info.pbsi_comm, sizeof info.pbsi_comm));
    e.command = command_line(pid);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mcpleak
