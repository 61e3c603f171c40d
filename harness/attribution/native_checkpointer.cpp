#include "harness/attribution/native_checkpointer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "probes/heap_checkpoint_parse.h"
#include "probes/probe.h"

namespace mcpleak {
namespace {

bool alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

std::string quoted(const std::string& command) {
  return command.size() > 120 ? "`" + command.substr(0, 117) + "...`" : "`" + command + "`";
}

}  // namespace

Result<std::unique_ptr<NativeCheckpointer>> NativeCheckpointer::start(const HookFolder& folder,
                                                                      const HeaptrackInstall& heaptrack,
                                                                      AttributionOptions options,
                                                                      const std::string& jsonl_path,
                                                                      const std::string& interpreted_path,
                                                                      std::function<bool()> should_stop) {
  const std::string fifo = folder.path() + "/heaptrack.fifo";
  if (::mkfifo(fifo.c_str(), 0600) != 0) {
    return Error(Errc::io, std::string("cannot create heaptrack's FIFO: ") + std::strerror(errno)).with(fifo);
  }
  UniqueFd keeper(::open(fifo.c_str(), O_RDWR | O_CLOEXEC));
  if (keeper.get() < 0) return Error(Errc::io, std::string("cannot open heaptrack's FIFO: ") + std::strerror(errno)).with(fifo);
  // The interpreter's stdout is the file itself; we read it through our own descriptor.
  UniqueFd out(::open(interpreted_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) {
    return Error(Errc::io, std::string("cannot create ") + interpreted_path + ": " + std::strerror(errno));
  }
  UniqueFd in(::open(interpreted_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Error(Errc::io, std::string("cannot read ") + interpreted_path + ": " + std::strerror(errno));
  out.reset();
  // sh does the redirections: ChildGroup gives the child pipes, the interpreter wants files.
  const std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" <\"$1\" >>\"$2\" 2>>\"$3\"",
                                         heaptrack.interpreter, fifo, interpreted_path,
                                         interpreted_path + ".log"};
  ChildPipes pipes;
  auto group = ChildGroup::spawn(argv, pipes);
  if (!group) return group.error();
  return std::unique_ptr<NativeCheckpointer>(new NativeCheckpointer(heaptrack, options, jsonl_path, fifo,
                                                                    std::move(keeper), std::move(in),
                                                                    std::move(*group), std::move(should_stop)));
}

NativeCheckpointer::NativeCheckpointer(HeaptrackInstall heaptrack, AttributionOptions options,
                                       const std::string& jsonl_path, std::string fifo, UniqueFd fifo_keeper,
                                       UniqueFd interpreted, ChildGroup interpreter, std::function<bool()> should_stop)
    : heaptrack_(std::move(heaptrack)),
      o_(options),
      out_(jsonl_path, std::ios::app),
      fifo_(std::move(fifo)),
      fifo_keeper_(std::move(fifo_keeper)),
      interpreted_(std::move(interpreted)),
      interpreter_(std::move(interpreter)),
      should_stop_(std::move(should_stop)) {
  if (!out_) {
    notes_.push_back("cannot write " + jsonl_path + ": no checkpoints kept");
    done_ = true;
  }
}

NativeCheckpointer::~NativeCheckpointer() {
  // With our end closed, the interpreter's input ends once the server's has: it then
  // writes its trailer and exits. A server still running is not waited for.
  fifo_keeper_.reset();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!alive(leader_) && std::chrono::steady_clock::now() < deadline && !interpreter_.poll()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  interpreter_.terminate(std::chrono::milliseconds(1000));
}

std::map<std::string, std::string> NativeCheckpointer::environment() const {
  const char* theirs = std::getenv("LD_PRELOAD");
  return {{"LD_PRELOAD", heaptrack_.preload + (theirs && *theirs ? std::string(":") + theirs : "")},
          {"DUMP_HEAPTRACK_OUTPUT", fifo_}};
}

void NativeCheckpointer::server_started(pid_t leader) {
  leader_ = leader;
  started_ = std::chrono::steady_clock::now();
}

void NativeCheckpointer::catch_up(int checkpoint) {
  using namespace std::chrono;
  // heaptrack's clock starts when the preload initializes, a little after the spawn:
  // reading up to "now" on our clock overshoots by that much, harmlessly (no call runs).
  const auto target_ms = static_cast<std::uint64_t>(duration_cast<milliseconds>(steady_clock::now() - started_).count());
  const auto deadline = steady_clock::now() + seconds(15);
  for (;;) {
    read_new();
    if (reader_.last_time_ms().value_or(0) >= target_ms || reader_.ended() || !alive(leader_) || should_stop_()) return;
    if (steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  if (!lag_noted_) {
    lag_noted_ = true;
    notes_.push_back("checkpoint " + std::to_string(checkpoint) + ": heaptrack's stream was still " +
                     std::to_string((target_ms - reader_.last_time_ms().value_or(0)) / 1000) +
                     " s behind after 15 s; sites may miss the latest allocations and frees");
  }
}

void NativeCheckpointer::read_new() {
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(interpreted_.get(), buf, sizeof buf);
    if (n > 0) {
      reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // at the end of what has been written so far
  }
}

void NativeCheckpointer::tick(std::uint64_t, double now_s) {
  if (done_ || now_s < next_read_s_) return;
  next_read_s_ = now_s + 0.5;
  read_new();
}

void NativeCheckpointer::note_children() {
  if (children_noted_ || leader_ <= 0) return;
  auto tree = list_process_tree(leader_);
  if (!tree || tree->size() < 2) return;
  children_noted_ = true;
  notes_.push_back("heaptrack instruments only the process it starts (pid " + std::to_string(leader_) + ", " +
                   quoted(reader_.command()) + "); its " + std::to_string(tree->size() - 1) +
                   " descendant process(es) run without it (its preload leaves their environment): if the server "
                   "is one of them, start it directly rather than through a wrapper, or profile the whole tree "
                   "with jemalloc, whose preload children inherit (LD_PRELOAD=libjemalloc.so.2 "
                   "MALLOC_CONF=prof:true,lg_prof_interval:24,prof_prefix:/tmp/jeprof, then jeprof --text "
                   "--base=FIRST LAST; this replaces the server's allocator)");
}

void NativeCheckpointer::checkpoint(std::uint64_t calls, double now_s) {
  const auto began = std::chrono::steady_clock::now();
  catch_up(taken_);
  note_children();
  if (reader_.heaptrack_version().empty()) {
    notes_.push_back("heaptrack recorded nothing: the server did not load libheaptrack_preload.so (a static "
                     "binary, a setuid one, or an exec that cleared LD_PRELOAD); see " +
                     std::string("heaptrack.interpreted.log"));
    done_ = true;
    return;
  }
  if (reader_.newer_format() && taken_ == 0) {
    notes_.push_back("heaptrack " + reader_.heaptrack_version() + " writes a newer file format than mcpleak "
                     "knows; sites may be incomplete");
  }
  HeapCheckpoint c;
  c.pid = leader_;
  c.runtime = "native";
  c.version = "heaptrack " + reader_.heaptrack_version();
  c.index = taken_;
  c.t_s = now_s;
  c.calls = calls;
  c.live_heap_bytes = reader_.live_bytes();
  HeaptrackSiteRule rule;
  rule.max_frames = static_cast<std::size_t>(o_.frames);
  c.sites = reader_.live_sites(rule);
  c.took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  out_ << heap_checkpoint_to_json(c).dump() << "\n";
  out_.flush();
  ++taken_;
  next_at_calls_ = calls + o_.every_calls;
  if (reader_.ended() && alive(leader_)) {
    notes_.push_back("heaptrack's stream ended while the server still ran: the process it instrumented (" +
                     quoted(reader_.command()) + ") exec'd another program or closed it; nothing after that "
                     "was seen");
    done_ = true;
  }
  if (taken_ >= o_.checkpoints) done_ = true;
  if (done_ && reader_.skipped_lines() > 0) {
    notes_.push_back(std::to_string(reader_.skipped_lines()) + " unreadable line(s) of heaptrack's output skipped");
  }
}

void NativeCheckpointer::after_call(std::uint64_t calls, double now_s, bool warmed_up) {
  if (done_ || !warmed_up) return;
  if (taken_ > 0 && calls < next_at_calls_) return;
  checkpoint(calls, now_s);
}

}  // namespace mcpleak
