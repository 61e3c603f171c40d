#include "probes/pid_read_linux.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "probes/proc_read_linux.h"
#include "probes/proc_status_parse.h"
#include "probes/smaps_rollup_parse.h"

namespace mcpleak {
namespace {

// Linux 6.2 made st_size of /proc/PID/fd the open-fd count; before, it is 0. Our own
// process always has fds open, so a zero size for ourselves means an older kernel.
bool fd_size_supported() {
  static const bool supported = [] {
    struct stat st {};
    return ::stat("/proc/self/fd", &st) == 0 && st.st_size > 0;
  }();
  return supported;
}

}  // namespace

Result<PidSample> pid_sample_from_status(pid_t pid, std::string_view text, const char* path) {
  auto status = parse_proc_status(text);
  if (!status) return Error(std::move(status.error())).with(path);
  PidSample out;
  out.pid = pid;
  out.ppid = status->ppid;
  out.name = std::move(status->name);
  out.footprint_bytes = status->footprint_bytes();
  out.rss_bytes = status->vm_rss_bytes;
  out.swap_bytes = status->vm_swap_bytes;
  out.threads = status->threads;
  return out;
}

bool add_smaps_rollup(PidSample& p, std::string& buf) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/smaps_rollup", static_cast<int>(p.pid));
  if (!read_proc_file(path, buf)) return false;
  const auto rollup = parse_smaps_rollup(buf);
  if (!rollup) return false;
  p.private_dirty_bytes = rollup->private_dirty_bytes;
  p.pss_bytes = rollup->pss_bytes;
  return true;
}

bool add_fd_count(PidSample& p) {
  auto count = fd_size_supported() ? detail::fd_count_by_stat(p.pid) : detail::fd_count_by_listing(p.pid);
  if (!count) return false;
  p.fds = *count;
  return true;
}

namespace detail {

std::optional<std::uint32_t> fd_count_by_stat(pid_t pid) {
  // Before Linux 6.2 the size is always 0: only a kernel that reports it is believed,
  // and there 0 means a process with no fd open.
  if (!fd_size_supported()) return std::nullopt;
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
  struct stat st {};
  if (::stat(path, &st) != 0 || st.st_size < 0) return std::nullopt;
  return static_cast<std::uint32_t>(st.st_size);
}

std::optional<std::uint32_t> fd_count_by_listing(pid_t pid) {
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
  auto dir = ProcDir::open(path);
  if (!dir) return std::nullopt;
  std::uint32_t fds = 0;
  while (dir->next() != nullptr) ++fds;
  return fds;
}

}  // namespace detail
}  // namespace mcpleak
