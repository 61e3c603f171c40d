// The macOS probes on live processes (built and run only on macOS; type-checked from
// Linux): libproc footprint and tree, task_info, and the real footprint/vmmap/sample
// output going through the parsers that the fixtures test.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "harness/process/unique_fd.h"
#include "probes/macos_tools.h"
#include "probes/probe.h"
#include "probes/sample_parse.h"
#include "probes/task_vm_info.h"
#include "tests/support/catch.h"

using namespace mcpleak;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

// A forked copy of this test binary that blocks reading a pipe we hold, then exits.
// A copy of ourselves rather than /bin/cat: platform binaries are shielded by SIP from
// the task-port access that vmmap(1) and sample(1) need. The child calls only
// async-signal-safe functions. The destructor closes the pipe, kills and reaps it.
class BlockedChild {
 public:
  BlockedChild() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    UniqueFd read_end(fds[0]);
    write_end_.reset(fds[1]);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(fds[1]);
      char byte;
      while (::read(fds[0], &byte, 1) < 0) {
      }
      ::_exit(0);
    }
  }
  BlockedChild(const BlockedChild&) = delete;
  BlockedChild& operator=(const BlockedChild&) = delete;
  ~BlockedChild() {
    write_end_.reset();
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_t pid() const { return pid_; }

 private:
  UniqueFd write_end_;
  pid_t pid_ = -1;
};

// A pid that existed and has been reaped, so nothing answers to it (until reuse).
pid_t reaped_pid() {
  pid_t pid = -1;
  char arg0[] = "true";
  char* argv[] = {arg0, nullptr};
  REQUIRE(::posix_spawn(&pid, "/usr/bin/true", nullptr, nullptr, argv, nullptr) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return pid;
}

}  // namespace

TEST_CASE("libproc probe reads this process", "[probes][macos]") {
  auto probe = make_footprint_probe();
  CHECK(probe->name() == "libproc_rusage");
  auto self = probe->sample(getpid());
  REQUIRE(self);
  CHECK(self->pid == getpid());
  CHECK(self->ppid == getppid());
  CHECK(self->footprint_bytes > 0);
  CHECK(self->rss_bytes > 0);
  REQUIRE(self->peak_footprint_bytes);
  CHECK(*self->peak_footprint_bytes >= self->footprint_bytes);
  CHECK_FALSE(self->name.empty());
  REQUIRE(self->threads);
  CHECK(*self->threads >= 1);
  REQUIRE(self->fds);
  CHECK(*self->fds >= 3);
}

TEST_CASE("libproc footprint follows dirtied memory, and so does task_info",
          "[probes][macos]") {
  auto probe = make_footprint_probe();
  auto before = probe->sample(getpid());
  REQUIRE(before);
  std::vector<char> block(64 * MiB);
  std::memset(block.data(), 0x5a, block.size());  // dirty every page
  auto after = probe->sample(getpid());
  REQUIRE(after);
  CHECK(after->footprint_bytes >= before->footprint_bytes + 56 * MiB);

  auto vm = read_task_vm_info(getpid());
  REQUIRE(vm);
  CHECK(vm->phys_footprint_bytes >= 56 * MiB);
  CHECK(vm->internal_bytes > 0);
  CHECK(block[block.size() - 1] == 0x5a);  // keep the block alive past the reads
}

TEST_CASE("fds counted by the probe include a new pipe", "[probes][macos]") {
  auto probe = make_footprint_probe();
  auto before = probe->sample(getpid());
  REQUIRE(before);
  REQUIRE(before->fds);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  UniqueFd a(fds[0]), b(fds[1]);
  auto after = probe->sample(getpid());
  REQUIRE(after);
  REQUIRE(after->fds);
  CHECK(*after->fds == *before->fds + 2);
}

TEST_CASE("process tree lists a spawned child after its parent", "[probes][macos]") {
  BlockedChild child;
  auto tree = list_process_tree(getpid());
  REQUIRE(tree);
  REQUIRE_FALSE(tree->empty());
  CHECK(tree->front() == getpid());
  CHECK(std::find(tree->begin(), tree->end(), child.pid()) != tree->end());

  auto probe = make_footprint_probe();
  auto sum = sample_tree(*probe, getpid());
  REQUIRE(sum);
  CHECK(sum->pids.size() == tree->size());
}

TEST_CASE("a gone pid is Errc::io for the probe and the tree", "[probes][macos]") {
  const pid_t gone = reaped_pid();
  auto probe = make_footprint_probe();
  auto one = probe->sample(gone);
  REQUIRE_FALSE(one);
  CHECK(one.error().code == Errc::io);
  auto tree = list_process_tree(gone);
  REQUIRE_FALSE(tree);
  CHECK(tree.error().code == Errc::io);
}

TEST_CASE("task_info of another process works or says why not", "[probes][macos]") {
  BlockedChild child;
  auto vm = read_task_vm_info(child.pid());
  if (!vm) {
    CHECK(vm.error().code == Errc::io);
    CHECK(vm.error().message.find("task_for_pid") != std::string::npos);
  } else {
    CHECK(vm->phys_footprint_bytes > 0);
  }
}

TEST_CASE("real footprint and vmmap output parse", "[probes][macos][macos-tools-live]") {
  BlockedChild child;
  auto report = run_footprint(child.pid());
  INFO((report ? std::string() : report.error().describe()));
  REQUIRE(report);
  CHECK(report->pid == child.pid());
  CHECK(report->footprint_bytes > 0);
  CHECK_FALSE(report->categories.empty());

  auto summary = run_vmmap_summary(child.pid());
  INFO((summary ? std::string() : summary.error().describe()));
  REQUIRE(summary);
  CHECK(summary->physical_footprint_bytes);
  CHECK_FALSE(summary->regions.empty());
  CHECK(summary->total);
}

TEST_CASE("real sample output has top frames", "[probes][macos][macos-tools-live]") {
  BlockedChild child;
  auto text = run_sample(child.pid(), 1);
  INFO((text ? std::string() : text.error().describe()));
  REQUIRE(text);
  auto frames = parse_sample_top_frames(*text);
  INFO((frames ? std::string() : frames.error().describe()));
  REQUIRE(frames);
  CHECK_FALSE(frames->empty());
}
