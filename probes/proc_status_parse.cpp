#include "probes/proc_status_parse.h"

#include <limits>

#include "probes/proc_line_parse.h"

namespace mcpleak {
namespace {

// Order of this enum is the order "no X line" errors are checked in.
// RssAnon comes first so that old kernels and kernel threads are reported by the line
// that matters most.
enum Field { f_rss_anon, f_name, f_ppid, f_vm_rss, f_rss_file, f_rss_shmem, f_threads, f_count };
constexpr std::string_view kFieldKeys[f_count] = {"RssAnon", "Name",     "PPid",   "VmRSS",
                                                  "RssFile", "RssShmem", "Threads"};

Error bad_value(std::string_view key, std::string_view value) {
  constexpr std::size_t max_shown = 40;  // keep the message one short line
  std::string shown(value.substr(0, max_shown));
  return Error(Errc::parse, "bad " + std::string(key) + " value: '" + shown + "'");
}

}  // namespace

Result<ProcStatus> parse_proc_status(std::string_view text) {
  ProcStatus out;
  bool seen[f_count] = {};
  bool kernel_thread = false;
  std::optional<Error> error;

  auto set_kb = [&](std::uint64_t& dst, Field f, const detail::ProcLine& line) {
    const auto bytes = detail::parse_kb_as_bytes(line.value);
    if (!bytes) {
      error.emplace(bad_value(line.key, line.value));
      return;
    }
    dst = *bytes;
    seen[f] = true;
  };
  auto parse_count = [&](const detail::ProcLine& line,
                         std::uint64_t max) -> std::optional<std::uint64_t> {
    const auto v = detail::parse_decimal(line.value);
    if (!v || *v > max) {
      error.emplace(bad_value(line.key, line.value));
      return std::nullopt;
    }
    return v;
  };

  detail::for_each_proc_line(text, [&](const detail::ProcLine& line) {
    if (error) return;
    const std::string_view key = line.key;
    if (key == "Name") {
      out.name.assign(line.value);
      seen[f_name] = true;
    } else if (key == "PPid") {
      if (const auto v = parse_count(line, std::numeric_limits<pid_t>::max())) {
        out.ppid = static_cast<pid_t>(*v);
        seen[f_ppid] = true;
      }
    } else if (key == "Threads") {
      if (const auto v = parse_count(line, std::numeric_limits<std::uint32_t>::max())) {
        out.threads = static_cast<std::uint32_t>(*v);
        seen[f_threads] = true;
      }
    } else if (key == "VmRSS") {
      set_kb(out.vm_rss_bytes, f_vm_rss, line);
    } else if (key == "RssAnon") {
      set_kb(out.rss_anon_bytes, f_rss_anon, line);
    } else if (key == "RssFile") {
      set_kb(out.rss_file_bytes, f_rss_file, line);
    } else if (key == "RssShmem") {
      set_kb(out.rss_shmem_bytes, f_rss_shmem, line);
    } else if (key == "VmSwap") {
      if (const auto bytes = detail::parse_kb_as_bytes(line.value))
        out.vm_swap_bytes = *bytes;
      else
        error.emplace(bad_value(key, line.value));
    } else if (key == "Kthread") {
      kernel_thread = line.value == "1";
    }
  });
  if (error) return std::move(*error);

  for (int f = 0; f < f_count; ++f) {
    if (seen[f]) continue;
    std::string message = "no " + std::string(kFieldKeys[f]) + " line";
    // NOTE: kernel threads have no mm, so the kernel prints no Vm*/Rss* lines for them
    // (fs/proc/array.c, task_mem is skipped); say so rather than leave a riddle.
    if (kernel_thread) message += " (kernel thread)";
    return Error(Errc::parse, std::move(message));
  }
  return out;
}

}  // namespace mcpleak
