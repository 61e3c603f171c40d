#include "harness/attribution/checkpointer.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <thread>

#include "harness/mcp/json_members.h"
#include "probes/heap_checkpoint_parse.h"

namespace mcpleak {
namespace {

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

bool wanted(AttributeMode mode, const std::string& runtime) {
  return (runtime == "python" && hooks_python(mode)) || (runtime == "node" && hooks_node(mode));
}

}  // namespace

Checkpointer::Checkpointer(const HookFolder& folder, AttributionOptions options, const std::string& jsonl_path,
                           std::function<bool()> should_stop)
    : folder_(folder),
      o_(options),
      out_(jsonl_path, std::ios::app),
      live_out_((std::filesystem::path(jsonl_path).parent_path() / "live_heap.jsonl").string(), std::ios::app),
      dir_(std::filesystem::absolute(jsonl_path).parent_path().string()),
      should_stop_(std::move(should_stop)) {
  // The first snapshot after tracing has settled (checkpoint 1 when there are more than
  // three), the last at the end, the second halfway between.
  const int last = o_.checkpoints - 1, first = o_.checkpoints > 3 ? 1 : 0;
  if (o_.heap_snapshots) snapshot_at_ = {first, (first + last) / 2, last};
  if (!out_) {
    notes_.push_back("cannot write " + jsonl_path + ": no checkpoints kept");
    done_ = true;
  }
}

void Checkpointer::adopt_new_hellos() {
  for (auto& hello : folder_.hellos()) {
    if (hooked_.contains(hello.pid) || !wanted(o_.mode, hello.runtime)) continue;
    const pid_t pid = hello.pid;
    hooked_[pid] = Hooked{std::move(hello)};
  }
}

void Checkpointer::tick(std::uint64_t calls, double now_s) {
  if (!started_ || done_) return;
  // Answers that came in; the measurement was taken somewhere between ask and answer.
  for (auto it = live_pending_.begin(); it != live_pending_.end();) {
    const auto& [pid, pending] = *it;
    if (auto a = folder_.answer(pid, pending.seq)) {
      const auto bytes = a->find("live_heap_bytes");
      if (bool_member(*a, "ok", false) && bytes != a->end() && bytes->is_number_unsigned()) {
        live_out_ << nlohmann::json{{"pid", pid},
                                    {"t_s", (pending.sent_s + now_s) / 2},
                                    {"calls", pending.calls},
                                    {"bytes", bytes->get<std::uint64_t>()}}
                         .dump()
                  << "\n";
      }
      it = live_pending_.erase(it);
    } else if (now_s - pending.sent_s > 10 || !alive(pid)) {
      it = live_pending_.erase(it);  // overtaken by a checkpoint's command, or gone
    } else {
      ++it;
    }
  }
  live_out_.flush();
  if (now_s < next_live_s_) return;
  next_live_s_ = now_s + o_.live_heap_every_s;
  for (auto& [pid, h] : hooked_) {
    if (!h.started || h.silent || live_pending_.contains(pid)) continue;
    const int seq = ++seq_;
    if (folder_.send(pid, {{"op", "live_heap"}, {"seq", seq}})) live_pending_[pid] = {seq, now_s, calls};
  }
}

std::map<pid_t, nlohmann::json> Checkpointer::ask_all(const std::function<nlohmann::json(pid_t)>& command_for,
                                                      const std::vector<pid_t>& pids) {
  ++seq_;
  live_pending_.clear();  // their commands are overwritten by this one
  std::vector<pid_t> waiting;
  std::string op;
  for (pid_t pid : pids) {
    nlohmann::json command = command_for(pid);
    command["seq"] = seq_;
    op = command.value("op", "");
    if (auto sent = folder_.send(pid, command); sent) {
      waiting.push_back(pid);
    } else {
      notes_.push_back("pid " + std::to_string(pid) + ": " + sent.error().describe());
      hooked_[pid].silent = true;
    }
  }
  std::map<pid_t, nlohmann::json> answers;
  const auto deadline = std::chrono::steady_clock::now() + o_.answer_timeout;
  while (!waiting.empty() && !should_stop_()) {
    bool someone_alive = false;
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (auto a = folder_.answer(*it, seq_)) {
        answers[*it] = std::move(*a);
        it = waiting.erase(it);
      } else {
        someone_alive |= alive(*it);
        ++it;
      }
    }
    // Only the living can still answer: a process that exited is not waited for.
    if (waiting.empty() || !someone_alive || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (pid_t pid : waiting) {
    hooked_[pid].silent = true;
    notes_.push_back("pid " + std::to_string(pid) + " (" + hooked_[pid].hello.runtime + ") " +
                     (alive(pid) ? "did not answer '" + op + "' within " +
                                       std::to_string(o_.answer_timeout.count() / 1000) + " s"
                                 : "exited before answering '" + op + "'") +
                     "; no further checkpoints of it");
  }
  return answers;
}

void Checkpointer::start_tracing() {
  started_ = true;
  adopt_new_hellos();
  std::vector<pid_t> pids;
  for (auto& [pid, h] : hooked_) {
    if (!h.started && !h.silent && alive(pid)) pids.push_back(pid);
  }
  const nlohmann::json command = {{"op", "start"}, {"frames", o_.frames}};
  for (auto& [pid, answer] : ask_all([&](pid_t) { return command; }, pids)) {
    if (bool_member(answer, "ok", false)) {
      hooked_[pid].started = true;
    } else {
      hooked_[pid].silent = true;
      notes_.push_back("pid " + std::to_string(pid) + " could not start tracing: " + answer.dump());
    }
  }
}

void Checkpointer::checkpoint(std::uint64_t calls, double now_s) {
  // A process started since (a child the server spawned later) joins from here.
  if (taken_ > 0) start_tracing();
  std::vector<pid_t> pids;
  for (auto& [pid, h] : hooked_) {
    if (h.started && !h.silent) pids.push_back(pid);
  }
  auto snapshot_path = [&](pid_t pid) {
    return dir_ + "/heap." + std::to_string(pid) + "." + std::to_string(taken_) + ".heapsnapshot";
  };
  auto command_for = [&](pid_t pid) {
    nlohmann::json command = {{"op", "checkpoint"}, {"max_frames", o_.frames}};
    if (snapshot_due(hooked_[pid])) command["snapshot"] = snapshot_path(pid);
    return command;
  };
  for (auto& [pid, answer] : ask_all(command_for, pids)) {
    const Hooked& h = hooked_[pid];
    // The file asked for, not whatever path the answer names.
    if (snapshot_due(h) && string_member(answer, "snapshot") == snapshot_path(pid)) {
      snapshots_[pid].push_back({snapshot_path(pid), calls});
    }
    answer["pid"] = pid;
    answer["runtime"] = h.hello.runtime;
    answer["version"] = h.hello.version;
    answer["index"] = taken_;
    answer["t_s"] = now_s;
    answer["calls"] = calls;
    if (auto parsed = heap_checkpoint_from_json(answer); !parsed) {
      notes_.push_back("pid " + std::to_string(pid) + ", checkpoint " + std::to_string(taken_) + ": " +
                       parsed.error().message);
      continue;
    }
    out_ << answer.dump() << "\n";
  }
  out_.flush();
  ++taken_;
  next_at_calls_ = calls + o_.every_calls;
  if (taken_ >= o_.checkpoints) {
    done_ = true;
    diff_snapshots();
  }
}

bool Checkpointer::snapshot_due(const Hooked& h) const {
  return h.hello.runtime == "node" && std::find(snapshot_at_.begin(), snapshot_at_.end(), taken_) != snapshot_at_.end();
}

void Checkpointer::diff_snapshots() {
  for (const auto& [pid, taken] : snapshots_) {
    if (taken.size() != 3) {
      notes_.push_back("pid " + std::to_string(pid) + ": " + std::to_string(taken.size()) +
                       " heap snapshot(s) taken, a diff needs 3");
      continue;
    }
    if (auto diff = diff_snapshot_files(pid, taken, dir_); !diff) {
      notes_.push_back("pid " + std::to_string(pid) + ": heap diff: " + diff.error().describe());
    }
  }
}

void Checkpointer::after_call(std::uint64_t calls, double now_s, bool warmed_up) {
  if (done_ || !warmed_up) return;
  if (!started_) {
    start_tracing();
    std::size_t tracing = 0;
    for (auto& [pid, h] : hooked_) tracing += h.started;
    if (tracing == 0) {
      if (hooked_.empty()) notes_.push_back("no process of the server loaded the hook");
      done_ = true;
      return;
    }
    checkpoint(calls, now_s);  // the baseline: tracing has just begun
    return;
  }
  if (calls < next_at_calls_) return;
  checkpoint(calls, now_s);
  bool anyone_left = false;
  for (auto& [pid, h] : hooked_) anyone_left |= h.started && !h.silent;
  if (!anyone_left) done_ = true;
}

}  // namespace mcpleak
