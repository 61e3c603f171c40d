// run_footprint / run_vmmap_summary / run_sample: posix_spawn the tool with its stdout
// and stderr on pipes, read both until EOF or a deadline, reap it, parse stdout.
#include "probes/macos_tools.h"

#include <crt_externs.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "harness/process/unique_fd.h"

namespace mcpleak {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxOutputBytes = 64u << 20;  // a sample report is a few MB at most

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

// Owns a spawned tool: the destructor kills and reaps it if it is still running, so an
// early return leaves no zombie.
class ToolChild {
 public:
  explicit ToolChild(pid_t pid) : pid_(pid) {}
  ToolChild(ToolChild&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}
  ToolChild& operator=(ToolChild&&) = delete;
  ToolChild(const ToolChild&) = delete;
  ToolChild& operator=(const ToolChild&) = delete;
  ~ToolChild() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }
  // Blocks until the child exits; returns its wait status.
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// posix_spawn attributes and file actions, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

Result<std::array<UniqueFd, 2>> make_pipe() {
  int fds[2];
  if (::pipe(fds) != 0) return Error(Errc::io, errno_text("pipe", errno));
  std::array<UniqueFd, 2> ends{UniqueFd(fds[0]), UniqueFd(fds[1])};
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return ends;
}

struct ToolOutput {
  std::string out;
  std::string err;
};

// Runs argv[0] (an absolute path) with stdin from /dev/null; returns stdout and stderr.
// An exit status above `max_ok_status` is an error (leaks(1) exits 1 when it found leaks).
Result<ToolOutput> run_tool(const std::vector<std::string>& argv, std::chrono::seconds limit, int max_ok_status = 0) {
  const std::string tool = argv.front();
  auto out_pipe = make_pipe();
  if (!out_pipe) return Error(out_pipe.error()).with(tool);
  auto err_pipe = make_pipe();
  if (!err_pipe) return Error(err_pipe.error()).with(tool);

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, (*out_pipe)[1].get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, (*err_pipe)[1].get(), 2);
  // NOTE: POSIX_SPAWN_CLOEXEC_DEFAULT (Apple extension, posix_spawnattr_setflags(3))
  // closes every fd but 0-2 in the child, so the server's pipes never leak into the tool.
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_CLOEXEC_DEFAULT);

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, tool.c_str(), &setup.actions, &setup.attr, cargv.data(),
                               *_NSGetEnviron());
  if (rc != 0) return Error(Errc::io, errno_text("posix_spawn", rc)).with(tool);
  ToolChild child(pid);
  (*out_pipe)[1].reset();
  (*err_pipe)[1].reset();

  ToolOutput output;
  const auto deadline = Clock::now() + limit;
  UniqueFd* fds[2] = {&(*out_pipe)[0], &(*err_pipe)[0]};
  std::string* sinks[2] = {&output.out, &output.err};
  char buffer[65536];
  while (*fds[0] || *fds[1]) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return Error(Errc::timeout, "no result within " + std::to_string(limit.count()) + " s")
          .with(tool);
    pollfd pfds[2];
    nfds_t count = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (!*fds[i]) continue;
      pfds[count] = {fds[i]->get(), POLLIN, 0};
      which[count++] = i;
    }
    const int ready = ::poll(pfds, count, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Error(Errc::io, errno_text("poll", errno)).with(tool);
    }
    for (nfds_t p = 0; p < count; ++p) {
      if (pfds[p].revents == 0) continue;
      const int i = which[p];
      const ssize_t got = ::read(fds[i]->get(), buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i]->reset();
        continue;
      }
      sinks[i]->append(buffer, static_cast<std::size_t>(got));
      if (sinks[i]->size() > kMaxOutputBytes)
        return Error(Errc::io, "output larger than 64 MiB").with(tool);
    }
  }
  const int status = child.wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) > max_ok_status) {
    const std::string first_line = output.err.substr(0, output.err.find('\n'));
    const std::string how = WIFEXITED(status)
                                ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                : "killed by signal " + std::to_string(WTERMSIG(status));
    return Error(Errc::io, how + (first_line.empty() ? "" : ": " + first_line)).with(tool);
  }
  return output;
}

// A file name reserved with mkstemp and removed when this goes out of scope.
class TempFile {
 public:
  static Result<TempFile> create() {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir && *dir ? dir : "/tmp") + "/mcpleak-sample-XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) return Error(Errc::io, errno_text("mkstemp", errno)).with(path);
    UniqueFd owner(fd);  // only the name is needed; sample(1) opens it itself
    return TempFile(std::move(path));
  }
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, std::string())) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace

Result<FootprintReport> run_footprint(pid_t pid) {
  const std::string where = "pid " + std::to_string(pid);
  auto output = run_tool({"/usr/bin/footprint", "-f", "bytes", std::to_string(pid)},
                         std::chrono::seconds(30));
  if (!output) return Error(output.error()).with(where);
  auto report = parse_footprint(output->out);
  if (!report) return Error(report.error()).with("footprint output").with(where);
  return report;
}

Result<VmmapSummary> run_vmmap_summary(pid_t pid) {
  const std::string where = "pid " + std::to_string(pid);
  auto output = run_tool({"/usr/bin/vmmap", "-summary", std::to_string(pid)},
                         std::chrono::seconds(60));
  if (!output) return Error(output.error()).with(where);
  auto summary = parse_vmmap_summary(output->out);
  if (!summary) return Error(summary.error()).with("vmmap output").with(where);
  return summary;
}

Result<std::string> run_vmmap_summary_text(pid_t pid) {
  auto output = run_tool({"/usr/bin/vmmap", "-summary", std::to_string(pid)}, std::chrono::seconds(60));
  if (!output) return Error(output.error()).with("pid " + std::to_string(pid));
  return output->out;
}

Result<std::string> run_footprint_text(const std::vector<pid_t>& pids) {
  std::vector<std::string> argv{"/usr/bin/footprint", "-f", "bytes"};
  for (pid_t pid : pids) argv.push_back(std::to_string(pid));
  auto output = run_tool(argv, std::chrono::seconds(60));
  if (!output) return output.error();
  return output->out;
}

Result<std::string> run_sample(pid_t pid, int seconds) {
  const std::string where = "pid " + std::to_string(pid);
  if (seconds < 1 || seconds > 60)
    return Error(Errc::usage, "sample duration must be 1-60 s").with(where);
  auto file = TempFile::create();
  if (!file) return Error(file.error()).with(where);
  // -mayDie: symbolicate up front, in case the server exits while being sampled.
  auto output = run_tool({"/usr/bin/sample", std::to_string(pid), std::to_string(seconds),
                          "-mayDie", "-file", file->path()},
                         std::chrono::seconds(seconds + 60));
  if (!output) return Error(output.error()).with(where);
  std::ifstream in(file->path(), std::ios::binary);
  if (!in) return Error(Errc::io, "sample wrote no report").with(file->path()).with(where);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<HeapReport> run_heap(pid_t pid) {
  const std::string where = "pid " + std::to_string(pid);
  auto output = run_tool({"/usr/bin/heap", std::to_string(pid)}, std::chrono::seconds(120));
  if (!output) return Error(output.error()).with(where);
  auto report = parse_heap(output->out);
  if (!report) return Error(report.error()).with("heap output").with(where);
  return report;
}

Result<std::string> run_malloc_history_call_tree(pid_t pid) {
  const std::string where = "pid " + std::to_string(pid);
  auto output = run_tool({"/usr/bin/malloc_history", std::to_string(pid), "-callTree"}, std::chrono::seconds(300));
  if (!output) return Error(output.error()).with(where);
  return output->out;
}

Result<std::string> run_leaks(pid_t pid) {
  const std::string where = "pid " + std::to_string(pid);
  // leaks(1): 0 no leaks, 1 leaks found, more is a failure.
  auto output = run_tool({"/usr/bin/leaks", std::to_string(pid)}, std::chrono::seconds(300), 1);
  if (!output) return Error(output.error()).with(where);
  return output->out;
}

}  // namespace mcpleak
