#include "harness/attribution/checkpointer.h"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <thread>

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
    : folder_(folder), o_(options), out_(jsonl_path, std::ios::app), should_stop_(std::move(should_stop)) {
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

std::map<pid_t, nlohmann::json> Checkpointer::ask_all(nlohmann::json command, const std::vector<pid_t>& pids) {
  command["seq"] = ++seq_;
  std::vector<pid_t> waiting;
  for (pid_t pid : pids) {
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
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (auto a = folder_.answer(*it, seq_)) {
        answers[*it] = std::move(*a);
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    if (waiting.empty() || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string op = command.value("op", "");
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
  nlohmann::json command = {{"op", "start"}, {"frames", o_.frames}};
  for (auto& [pid, answer] : ask_all(command, pids)) {
    if (answer.value("ok", false)) {
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
  nlohmann::json command = {{"op", "checkpoint"}, {"max_frames", o_.frames}};
  for (auto& [pid, answer] : ask_all(command, pids)) {
    const Hooked& h = hooked_[pid];
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
  if (taken_ >= o_.checkpoints) done_ = true;
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
