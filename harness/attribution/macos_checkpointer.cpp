#include "harness/attribution/macos_checkpointer.h"

#include <algorithm>
#include <chrono>

#include "probes/heap_checkpoint_parse.h"
#include "probes/leaks_parse.h"
#include "probes/macos_tools.h"
#include "probes/malloc_history_parse.h"
#include "probes/probe.h"

namespace mcpleak {
namespace {

std::string pid_text(pid_t pid) { return "pid " + std::to_string(pid); }

// The innermost frame that is not the allocator's own: the code that asked.
const std::string& asking_frame(const std::vector<std::string>& frames) {
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    const std::string& f = *it;
    if (f.rfind("operator new", 0) != 0 && f.rfind("malloc", 0) != 0 && f.rfind("calloc", 0) != 0 &&
        f.rfind("realloc", 0) != 0 && f.rfind("_malloc", 0) != 0) {
      return f;
    }
  }
  return frames.back();
}

// "handle_call  (in axref) + 52" -> "handle_call (axref)": what a note can hold.
std::string short_frame(const std::string& frame) {
  std::string out = frame.substr(0, frame.find("  "));
  const auto in = frame.find("(in ");
  if (in != std::string::npos) {
    const auto close = frame.find(')', in);
    if (close != std::string::npos) out += " (" + frame.substr(in + 4, close - in - 4) + ")";
  }
  return out;
}

}  // namespace

std::vector<TypeSnapshot> heap_classes_as_types(const HeapReport& report) {
  std::vector<TypeSnapshot> types;
  for (const auto& c : report.classes) {
    if (c.name.empty() || c.name == "non-object") continue;
    types.push_back({c.name, c.count, c.bytes});
  }
  return types;
}

MacosCheckpointer::MacosCheckpointer(AttributionOptions options, const std::string& run_dir,
                                     std::function<bool()> should_stop)
    : o_(options), dir_(run_dir), out_(run_dir + "/checkpoints.jsonl", std::ios::app),
      should_stop_(std::move(should_stop)) {
  if (!out_) {
    notes_.push_back("cannot write " + run_dir + "/checkpoints.jsonl: no checkpoints kept");
    done_ = true;
  }
}

std::map<std::string, std::string> MacosCheckpointer::environment() const {
  // lite: stacks of the live allocations only, enough for -callTree and leaks, and far
  // cheaper than the full history (MallocStackLogging=1).
  return {{"MallocStackLogging", "lite"}};
}

std::vector<pid_t> MacosCheckpointer::tree() const {
  if (leader_ <= 0) return {};
  auto pids = list_process_tree(leader_);
  return pids ? *pids : std::vector<pid_t>{leader_};
}

void MacosCheckpointer::checkpoint(std::uint64_t calls, double now_s) {
  for (pid_t pid : tree()) {
    if (failed_.contains(pid) || should_stop_()) continue;
    const auto began = std::chrono::steady_clock::now();
    auto report = run_heap(pid);
    if (!report) {
      failed_.insert(pid);
      notes_.push_back(pid_text(pid) + ": heap(1) failed, no object counts of it: " + report.error().describe());
      continue;
    }
    HeapCheckpoint c;
    c.pid = pid;
    c.runtime = "macos";
    c.version = "heap(1)";
    c.index = taken_;
    c.t_s = now_s;
    c.calls = calls;
    c.live_heap_bytes = report->total_bytes.value_or(0);
    c.types = heap_classes_as_types(*report);
    c.took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    if (report->skipped_lines > 0 && taken_ == 0) {
      notes_.push_back(pid_text(pid) + ": " + std::to_string(report->skipped_lines) +
                       " unreadable line(s) of heap(1)'s table skipped");
    }
    out_ << heap_checkpoint_to_json(c).dump() << "\n";
  }
  out_.flush();
  ++taken_;
  next_at_calls_ = calls + o_.every_calls;
  if (taken_ >= o_.checkpoints) {
    done_ = true;
    allocation_stacks();
  }
}

void MacosCheckpointer::allocation_stacks() {
  for (pid_t pid : tree()) {
    if (should_stop_()) return;
    const std::string suffix = "." + std::to_string(pid) + ".txt";
    if (auto text = run_malloc_history_call_tree(pid); !text) {
      notes_.push_back(pid_text(pid) + ": malloc_history failed: " + text.error().describe());
    } else {
      std::ofstream(dir_ + "/malloc_history" + suffix) << *text;
      if (auto tree = parse_malloc_history_call_tree(*text, 3); tree && !tree->stacks.empty()) {
        std::string top;
        for (const auto& s : tree->stacks) {
          top += (top.empty() ? "" : "; ") + std::to_string(s.bytes) + " bytes in " + std::to_string(s.count) +
                 " at " + (s.frames.empty() ? std::string("?") : short_frame(asking_frame(s.frames)));
        }
        notes_.push_back(pid_text(pid) + ": heaviest live allocation stacks (malloc_history" + suffix + "): " + top);
      } else if (!tree) {
        notes_.push_back(pid_text(pid) + ": malloc_history" + suffix + " unreadable: " + tree.error().message);
      }
    }
    if (auto text = run_leaks(pid); !text) {
      notes_.push_back(pid_text(pid) + ": leaks failed: " + text.error().describe());
    } else {
      std::ofstream(dir_ + "/leaks" + suffix) << *text;
      if (auto leaks = parse_leaks(*text)) {
        notes_.push_back(pid_text(pid) + ": leaks(1) found " + std::to_string(leaks->leak_count) +
                         " unreachable block(s), " + std::to_string(leaks->leaked_bytes) + " bytes (leaks" + suffix +
                         ")");
      } else {
        notes_.push_back(pid_text(pid) + ": leaks" + suffix + " unreadable: " + leaks.error().message);
      }
    }
  }
}

void MacosCheckpointer::after_call(std::uint64_t calls, double now_s, bool warmed_up) {
  if (done_ || !warmed_up) return;
  if (taken_ > 0 && calls < next_at_calls_) return;
  checkpoint(calls, now_s);
}

}  // namespace mcpleak
