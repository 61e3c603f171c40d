// Drives the runtime hooks of an attribution run: once warm-up is over it tells every
// hooked process to start tracing, then takes a checkpoint every N scenario calls and
// appends each process's answer as a line of checkpoints.jsonl (HeapCheckpoint, read
// by probes/heap_checkpoint_parse.h). The run calls after_call() after each call and
// stops once done(). Checkpoints block the calls: the answers describe the state at a
// known call count.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/attribution/attribute_mode.h"
#include "harness/attribution/checkpoint_taker.h"
#include "harness/attribution/heap_diff_job.h"
#include "harness/attribution/hook_folder.h"

namespace mcpleak {

class Checkpointer : public CheckpointTaker {
 public:
  // `should_stop` is polled while waiting for answers (Ctrl-C).
  Checkpointer(const HookFolder& folder, AttributionOptions options, const std::string& jsonl_path,
               std::function<bool()> should_stop);

  // The hooks' variables (HookFolder::environment).
  std::map<std::string, std::string> environment() const override { return folder_.environment(); }
  // After scenario call number `calls` (counted from the run's start), at run time `now_s`.
  void after_call(std::uint64_t calls, double now_s, bool warmed_up) override;
  // On every turn of the run's loop: once a second, asks each tracing process for its
  // live heap (after a collection) and, without waiting, writes the answers that have
  // come to live_heap.jsonl ({"pid", "t_s", "calls", "bytes"}).
  void tick(std::uint64_t calls, double now_s) override;
  // Every checkpoint taken, or nothing left to ask (no hook loaded, all gone).
  bool done() const override { return done_; }
  // What the report should say about the hooks: who loaded them, who fell silent.
  const std::vector<std::string>& notes() const override { return notes_; }

 private:
  struct Hooked {
    HookHello hello;
    bool started = false;
    bool silent = false;  // missed an answer: asked nothing more
  };
  void adopt_new_hellos();
  // Sends each process its command (`command_for(pid)`) and waits for the answers.
  std::map<pid_t, nlohmann::json> ask_all(const std::function<nlohmann::json(pid_t)>& command_for,
                                          const std::vector<pid_t>& pids);
  // The Node processes' heap snapshots: at three checkpoints, then diffed.
  bool snapshot_due(const Hooked& h) const;
  void diff_snapshots();
  void start_tracing();
  void checkpoint(std::uint64_t calls, double now_s);

  const HookFolder& folder_;
  AttributionOptions o_;
  std::ofstream out_;
  std::ofstream live_out_;
  std::string dir_;  // the run folder, absolute: where the snapshots go
  std::function<bool()> should_stop_;
  std::map<pid_t, Hooked> hooked_;
  int seq_ = 0;
  int taken_ = 0;
  std::uint64_t next_at_calls_ = 0;
  bool started_ = false;
  bool done_ = false;
  std::vector<std::string> notes_;
  std::vector<int> snapshot_at_;  // checkpoint indexes
  std::map<pid_t, std::vector<TakenSnapshot>> snapshots_;
  struct PendingLiveHeap {
    int seq = 0;
    double sent_s = 0;
    std::uint64_t calls = 0;
  };
  std::map<pid_t, PendingLiveHeap> live_pending_;
  double next_live_s_ = 0;
};

}  // namespace mcpleak
