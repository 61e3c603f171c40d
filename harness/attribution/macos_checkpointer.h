// `--attribute macos`: the server starts with MallocStackLogging=lite (stacks of live
// allocations, inherited through wrappers); at each checkpoint heap(1) counts the live
// objects per class in every process of the tree, written to checkpoints.jsonl as
// runtime "macos" with the classes as types (CoreFoundation types such as AXObserver
// included: the object counts of an unmodified server). After the last checkpoint
// malloc_history -callTree and leaks run on each process; their raw reports stay in the
// run folder (malloc_history.PID.txt, leaks.PID.txt) and their gist goes to the notes.
//
// Type-checked against the macOS SDK; the tools' outputs are parsed from fixtures on
// Linux (probes/heap_parse.h, malloc_history_parse.h, leaks_parse.h).
#pragma once

#include <sys/types.h>

#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "harness/attribution/attribute_mode.h"
#include "harness/attribution/checkpoint_taker.h"
#include "harness/model/where_it_grows.h"
#include "probes/heap_parse.h"

namespace mcpleak {

// heap(1)'s classes as checkpoint types: "AXObserver" (CF, HIServices) -> type
// "AXObserver", count and bytes. Non-object blocks ("non-object") are left out: they
// are malloc's, not a class's. Pure.
std::vector<TypeSnapshot> heap_classes_as_types(const HeapReport& report);

class MacosCheckpointer : public CheckpointTaker {
 public:
  MacosCheckpointer(AttributionOptions options, const std::string& run_dir, std::function<bool()> should_stop);

  // MallocStackLogging=lite.
  std::map<std::string, std::string> environment() const override;
  void server_started(pid_t leader) override { leader_ = leader; }
  void after_call(std::uint64_t calls, double now_s, bool warmed_up) override;
  void tick(std::uint64_t, double) override {}
  bool done() const override { return done_; }
  const std::vector<std::string>& notes() const override { return notes_; }

 private:
  void checkpoint(std::uint64_t calls, double now_s);
  // malloc_history and leaks on every process of the tree, once.
  void allocation_stacks();
  std::vector<pid_t> tree() const;

  AttributionOptions o_;
  std::string dir_;
  std::ofstream out_;
  std::function<bool()> should_stop_;
  pid_t leader_ = 0;
  int taken_ = 0;
  std::uint64_t next_at_calls_ = 0;
  bool done_ = false;
  std::set<pid_t> failed_;  // heap(1) failed on them once: noted, not asked again
  std::vector<std::string> notes_;
};

}  // namespace mcpleak
