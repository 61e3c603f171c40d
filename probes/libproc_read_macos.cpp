#include "probes/libproc_read_macos.h"

#include <errno.h>
#include <libproc.h>
#include <sys/resource.h>

#include <cstring>
#include <string>

namespace mcpleak {
namespace {

Error libproc_error(const char* call, int err, pid_t pid) {
  // ESRCH: the pid exited (or was never there); the tree sampler skips such children.
  std::string message = err == ESRCH ? std::string("process gone")
                                     : std::string(call) + ": " + std::strerror(err);
  return Error(Errc::io, std::move(message)).with("pid " + std::to_string(pid));
}

}  // namespace

Result<PidSample> read_libproc_basics(pid_t pid) {
  rusage_info_v4 usage{};
  if (proc_pid_rusage(pid, RUSAGE_INFO_V4, reinterpret_cast<rusage_info_t*>(&usage)) != 0)
    return libproc_error("proc_pid_rusage", errno, pid);

  PidSample out;
  out.pid = pid;
  out.footprint_bytes = usage.ri_phys_footprint;
  out.rss_bytes = usage.ri_resident_size;
  out.peak_footprint_bytes = usage.ri_lifetime_max_phys_footprint;

  // The extras below may be refused for another user's process; the verdict metric
  // above stands without them. proc_name(3) reads the same BSD info, so one call gives
  // both the name and the parent.
  proc_bsdinfo bsd{};
  if (proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &bsd, sizeof bsd) == sizeof bsd) {
    out.ppid = static_cast<pid_t>(bsd.pbi_ppid);
    out.name = bsd.pbi_name[0] != '\0' ? std::string(bsd.pbi_name, strnlen(bsd.pbi_name, sizeof bsd.pbi_name))
                                       : std::string(bsd.pbi_comm, strnlen(bsd.pbi_comm, sizeof bsd.pbi_comm));
  }
  proc_taskinfo task{};
  if (proc_pidinfo(pid, PROC_PIDTASKINFO, 0, &task, sizeof task) == sizeof task)
    out.threads = static_cast<std::uint32_t>(task.pti_threadnum);
  return out;
}

std::optional<std::uint32_t> libproc_fd_count(pid_t pid, std::vector<proc_fdinfo>& buf) {
  // NOTE: with a null buffer PROC_PIDLISTFDS returns a size estimate with slack
  // (xnu proc_info.c adds room for fds opened meanwhile), so list them for the count.
  const int estimate = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, nullptr, 0);
  if (estimate <= 0) return std::nullopt;
  buf.resize(static_cast<std::size_t>(estimate) / PROC_PIDLISTFD_SIZE + 1);
  const int used =
      proc_pidinfo(pid, PROC_PIDLISTFDS, 0, buf.data(), static_cast<int>(buf.size() * PROC_PIDLISTFD_SIZE));
  if (used < 0) return std::nullopt;
  return static_cast<std::uint32_t>(used / PROC_PIDLISTFD_SIZE);
}

}  // namespace mcpleak
