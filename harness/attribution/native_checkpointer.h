// `--attribute native`: the server starts under heaptrack's preload (LD_PRELOAD), which
// writes every malloc/free with its stack into a FIFO in the hook folder;
// heaptrack_interpret symbolizes that stream into attribution/heaptrack.interpreted
// (kept: `heaptrack_print` and heaptrack_gui read it). This class reads the file as it
// grows (probes/heaptrack_parse.h) and, at the same checkpoints as the runtime hooks,
// appends the live bytes per allocation stack to checkpoints.jsonl as runtime "native".
//
// heaptrack's preload removes itself from its children's environment: it instruments
// the one process mcpleak starts. A wrapper (sh -c, a launcher script) is therefore what
// gets instrumented, and the notes say so.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/attribution/attribute_mode.h"
#include "harness/attribution/checkpoint_taker.h"
#include "harness/attribution/heaptrack_install.h"
#include "harness/attribution/hook_folder.h"
#include "harness/process/child_group.h"
#include "harness/process/unique_fd.h"
#include "harness/result.h"
#include "probes/heaptrack_parse.h"

namespace mcpleak {

class NativeCheckpointer : public CheckpointTaker {
 public:
  // Creates the FIFO in `folder` and starts heaptrack_interpret on it, writing
  // `interpreted_path`. Errc::io when either cannot be done.
  static Result<std::unique_ptr<NativeCheckpointer>> start(const HookFolder& folder, const HeaptrackInstall& heaptrack,
                                                           AttributionOptions options, const std::string& jsonl_path,
                                                           const std::string& interpreted_path,
                                                           std::function<bool()> should_stop);
  // Lets the interpreter finish the stream once the server has gone (bounded wait),
  // then stops it: the interpreted file is complete for heaptrack_print.
  ~NativeCheckpointer() override;

  // LD_PRELOAD (ahead of any the user set) and DUMP_HEAPTRACK_OUTPUT.
  std::map<std::string, std::string> environment() const override;
  void server_started(pid_t leader) override;
  void after_call(std::uint64_t calls, double now_s, bool warmed_up) override;
  // Reads what the interpreter wrote since, at most twice a second, so a checkpoint
  // has little left to read.
  void tick(std::uint64_t calls, double now_s) override;
  bool done() const override { return done_; }
  const std::vector<std::string>& notes() const override { return notes_; }

 private:
  NativeCheckpointer(HeaptrackInstall heaptrack, AttributionOptions options, const std::string& jsonl_path,
                     std::string fifo, UniqueFd fifo_keeper, UniqueFd interpreted, ChildGroup interpreter,
                     std::function<bool()> should_stop);
  void read_new();
  // Reads until heaptrack's clock has passed now: the preload and the interpreter each
  // hold up to a pipe buffer (4 KiB) of events, which their 10 ms time stamps push out
  // within seconds; a checkpoint read before that would miss the last call's frees.
  void catch_up(int checkpoint);
  void checkpoint(std::uint64_t calls, double now_s);
  void note_children();

  HeaptrackInstall heaptrack_;
  AttributionOptions o_;
  std::ofstream out_;
  std::string fifo_;
  // Our own read-write end of the FIFO: neither the server's open nor the interpreter's
  // blocks on the other, and a server that never starts cannot hang either.
  UniqueFd fifo_keeper_;
  UniqueFd interpreted_;
  ChildGroup interpreter_;
  HeaptrackReader reader_;
  std::function<bool()> should_stop_;
  pid_t leader_ = 0;
  std::chrono::steady_clock::time_point started_{};
  bool lag_noted_ = false;
  int taken_ = 0;
  std::uint64_t next_at_calls_ = 0;
  double next_read_s_ = 0;
  bool done_ = false;
  bool children_noted_ = false;
  std::vector<std::string> notes_;
};

}  // namespace mcpleak
