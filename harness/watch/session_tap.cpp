#include "harness/watch/session_tap.h"

#include "harness/mcp/json_members.h"

namespace mcpleak {
namespace {

std::string id_key(const nlohmann::json& id) { return id.dump(); }

// Early responses wait for their request at most this many at a time; beyond it a
// response to nothing is counted as unmatched at once (a server answering ids nobody sent).
constexpr std::size_t kMaxEarlyResponses = 256;

}  // namespace

bool is_counted_call(std::string_view method) {
  return method == "tools/call" || method == "resources/read" || method == "prompts/get" ||
         method == "completion/complete";
}

// The record of a request that ended at t_s (answered, cancelled or left unanswered);
// the caller fills in the outcome. Only a client's tool, resource, prompt or completion
// request counts as a call; the rest is protocol.
CallRecord SessionTap::record_of(const Pending& p, double t_s, bool from_server) {
  CallRecord r;
  r.t_s = p.t_s;
  r.tool = p.tool;
  r.method = p.method;
  r.request_bytes = p.bytes;
  r.latency_ms = (t_s - p.t_s) * 1000;
  r.from_server = from_server;
  r.kind = !from_server && is_counted_call(p.method) ? CallKind::scenario : CallKind::protocol;
  return r;
}

SessionTap::SessionTap(std::size_t max_line_bytes, bool keep_tool_args)
    : keep_tool_args_(keep_tool_args), from_client_(max_line_bytes), from_server_(max_line_bytes) {}

void SessionTap::client_bytes(std::string_view bytes, double t_s) {
  std::lock_guard lock(mutex_);
  const auto before = from_client_.oversized_lines();
  from_client_.feed(bytes, [&](std::string_view line) { client_line(line, t_s); });
  counters_.oversized_lines += from_client_.oversized_lines() - before;
  drop_unanswerable(early_from_server_, t_s);
}

void SessionTap::server_bytes(std::string_view bytes, double t_s) {
  std::lock_guard lock(mutex_);
  const auto before = from_server_.oversized_lines();
  from_server_.feed(bytes, [&](std::string_view line) { server_line(line, t_s); });
  counters_.oversized_lines += from_server_.oversized_lines() - before;
  drop_unanswerable(early_from_client_, t_s);
}

// Each direction is fed in read order. Once the client's bytes read at t_s are in, every
// request read before t_s has been seen, so a held answer read at or before t_s answers
// nothing that can still arrive (an answer to a cancelled request, or to an id nobody
// sent): it is unmatched, and leaves room for answers that will pair.
void SessionTap::drop_unanswerable(EarlyById& early, double t_s) {
  for (auto it = early.begin(); it != early.end();) {
    if (it->second.t_s <= t_s) {
      ++counters_.unmatched_responses;
      it = early.erase(it);
    } else {
      ++it;
    }
  }
}

void SessionTap::client_line(std::string_view line, double t_s) {
  for (const Incoming& in : classify_line(line)) {
    switch (in.kind) {
      case MessageKind::request: {
        ++counters_.client_requests;
        Pending p{in.method, "", t_s, line.size()};
        if (in.method == "tools/call") p.tool = string_member(in.payload, "name");
        if (p.tool.empty()) p.tool = in.method;
        if (auto who = client_identity_of(in.method, in.payload); who && (!identity_ || in.method == "initialize")) {
          identity_ = std::move(who);
          if (protocol_version_.empty() && in.method != "initialize") protocol_version_ = identity_->protocol_version;
        }
        if (keep_tool_args_ && in.method == "tools/call") {
          ObservedToolCall call{t_s, p.tool, nlohmann::json::object()};
          if (const auto a = in.payload.find("arguments"); in.payload.is_object() && a != in.payload.end()) {
            call.args = *a;
          }
          tool_calls_.push_back(std::move(call));
        }
        add_pending(client_pending_, early_from_server_, in.id, std::move(p), false);
        break;
      }
      case MessageKind::notification:
        ++counters_.client_notifications;
        // A cancelled request may never be answered: it ends here, without an outcome.
        if (in.method == "notifications/cancelled" && in.payload.is_object()) {
          if (const auto id = in.payload.find("requestId"); id != in.payload.end()) {
            if (auto it = client_pending_.find(id_key(*id)); it != client_pending_.end()) {
              ++counters_.cancelled;
              CallRecord r = record_of(it->second, t_s, false);
              r.error = "cancelled by the client";
              r.interrupted = true;
              done_.push_back(std::move(r));
              client_pending_.erase(it);
            }
          }
        }
        break;
      case MessageKind::response:
      case MessageKind::error: complete(server_pending_, early_from_client_, in, line.size(), t_s, true); break;
      case MessageKind::invalid: ++counters_.client_non_json_lines; break;
    }
  }
}

void SessionTap::server_line(std::string_view line, double t_s) {
  for (const Incoming& in : classify_line(line)) {
    switch (in.kind) {
      case MessageKind::request:
        ++counters_.server_requests;
        add_pending(server_pending_, early_from_client_, in.id, Pending{in.method, in.method, t_s, line.size()}, true);
        break;
      case MessageKind::notification: ++counters_.server_notifications; break;
      case MessageKind::response:
      case MessageKind::error:
        complete(client_pending_, early_from_server_, in, line.size(), t_s, false);
        break;
      case MessageKind::invalid:
        if (counters_.server_non_json_lines++ == 0) counters_.first_server_junk = std::string(line.substr(0, 120));
        break;
    }
  }
}

// A request whose answer already arrived is done at once: the answer was read after
// the request (read times are taken before forwarding), so a held response with the same
// id and an earlier time answered some earlier request, not this one.
void SessionTap::add_pending(PendingById& pending, EarlyById& early, const nlohmann::json& id, Pending p,
                             bool from_server) {
  const std::string key = id_key(id);
  if (const auto e = early.find(key); e != early.end() && e->second.t_s >= p.t_s) {
    finish(p, e->second.in, e->second.bytes, e->second.t_s, from_server);
    early.erase(e);
    return;
  }
  pending[key] = std::move(p);
}

void SessionTap::complete(PendingById& pending, EarlyById& early, const Incoming& in, std::size_t line_bytes,
                          double t_s, bool from_server) {
  const std::string key = id_key(in.id);
  const auto it = pending.find(key);
  if (it == pending.end()) {
    if (early.size() < kMaxEarlyResponses && !early.count(key)) {
      early[key] = EarlyResponse{in, line_bytes, t_s};
    } else {
      ++counters_.unmatched_responses;
    }
    return;
  }
  finish(it->second, in, line_bytes, t_s, from_server);
  pending.erase(it);
}

void SessionTap::finish(const Pending& p, const Incoming& in, std::size_t line_bytes, double t_s, bool from_server) {
  // The server's answer to initialize names it and the protocol version they agreed on.
  if (!from_server && p.method == "initialize" && in.kind == MessageKind::response) {
    protocol_version_ = string_member(in.payload, "protocolVersion");
    if (const auto info = in.payload.find("serverInfo"); info != in.payload.end() && info->is_object()) {
      const std::string version = string_member(*info, "version");
      server_name_ = string_member(*info, "name") + (version.empty() ? "" : " " + version);
    }
  }
  CallRecord r = record_of(p, t_s, from_server);
  r.response_bytes = line_bytes;
  if (in.kind == MessageKind::error) {
    r.error = error_text(in.payload);
  } else if (r.method == "tools/call" && bool_member(in.payload, "isError", false)) {
    r.error = "isError: " + tool_error_text(in.payload);
  } else {
    r.ok = true;
  }
  if (r.kind == CallKind::scenario) ++calls_done_;
  done_.push_back(std::move(r));
}

void SessionTap::end_session(double t_s) {
  std::lock_guard lock(mutex_);
  for (auto* pending : {&client_pending_, &server_pending_}) {
    for (const auto& [id, p] : *pending) {
      CallRecord r = record_of(p, t_s, pending == &server_pending_);
      r.error = "no response before the session ended";
      r.interrupted = true;
      done_.push_back(std::move(r));
    }
    pending->clear();
  }
  // Responses still waiting for a request answered nothing that was seen.
  counters_.unmatched_responses += early_from_server_.size() + early_from_client_.size();
  early_from_server_.clear();
  early_from_client_.clear();
}

std::vector<CallRecord> SessionTap::take_records() {
  std::lock_guard lock(mutex_);
  std::vector<CallRecord> out;
  out.swap(done_);
  return out;
}

std::uint64_t SessionTap::calls_done() const {
  std::lock_guard lock(mutex_);
  return calls_done_;
}

std::optional<ClientIdentity> SessionTap::client_identity() const {
  std::lock_guard lock(mutex_);
  return identity_;
}

std::string SessionTap::server_name() const {
  std::lock_guard lock(mutex_);
  return server_name_;
}

std::string SessionTap::protocol_version() const {
  std::lock_guard lock(mutex_);
  return protocol_version_;
}

std::vector<ObservedToolCall> SessionTap::tool_calls() const {
  std::lock_guard lock(mutex_);
  return tool_calls_;
}

TapCounters SessionTap::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace mcpleak
