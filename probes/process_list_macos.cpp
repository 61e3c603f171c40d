// list_all_processes for macOS: proc_listallpids and PROC_PIDT_SHORTBSDINFO (libproc) for
// name and parent; the command line from sysctl KERN_PROCARGS2, which holds argc, the
// executable path, padding NULs, then argv (readable for our own user's processes only).
#include <errno.h>
#include <libproc.h>
#include <sys/proc_info.h>
#include <sys/proc.h>
#include <sys/sysctl.h>
#include <sys/time.h>

#include <cstring>
#include <string>
#include <vector>

#include "probes/process_list.h"

namespace mcpleak {
namespace {

// KERN_PROCARGS2 as strings: argv, then the environment.
struct ProcArgs {
  std::vector<std::string> argv;
  std::vector<std::string> env;
};

ProcArgs proc_args(pid_t pid) {
  ProcArgs out;
  int mib[3] = {CTL_KERN, KERN_PROCARGS2, static_cast<int>(pid)};
  std::size_t size = 0;
  if (::sysctl(mib, 3, nullptr, &size, nullptr, 0) != 0 || size < sizeof(int)) return out;
  std::vector<char> buf(size);
  if (::sysctl(mib, 3, buf.data(), &size, nullptr, 0) != 0 || size < sizeof(int)) return out;
  int argc = 0;
  std::memcpy(&argc, buf.data(), sizeof argc);
  std::size_t at = sizeof argc;
  while (at < size && buf[at] != '\0') ++at;  // the executable path
  while (at < size && buf[at] == '\0') ++at;  // its padding
  for (int i = 0; at < size; ++i) {
    const char* arg = buf.data() + at;
    const std::size_t len = ::strnlen(arg, size - at);
    if (i >= argc && len == 0) break;  // the environment ends with an empty string
    (i < argc ? out.argv : out.env).emplace_back(arg, len);
    at += len + 1;
  }
  return out;
}

std::string command_line(pid_t pid) {
  std::string out;
  for (const auto& arg : proc_args(pid).argv) {
    if (!out.empty()) out += ' ';
    out += arg;
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
    e.pgid = static_cast<pid_t>(info.pbsi_pgid);
    e.zombie = info.pbsi_status == SZOMB;
    e.command = command_line(pid);
    out.push_back(std::move(e));
  }
  return out;
}

bool process_environment_has(pid_t pid, const std::string& entry) {
  for (const auto& e : proc_args(pid).env) {
    if (e == entry) return true;
  }
  return false;
}

std::optional<double> process_age_s(pid_t pid) {
  proc_bsdinfo info{};
  if (proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &info, sizeof info) != sizeof info) return std::nullopt;
  struct timeval now {};
  ::gettimeofday(&now, nullptr);
  const double started = static_cast<double>(info.pbi_start_tvsec) + 1e-6 * static_cast<double>(info.pbi_start_tvusec);
  const double at = static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_usec);
  return at > started ? at - started : 0.0;
}

}  // namespace mcpleak
