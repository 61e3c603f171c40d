#include "harness/mcp/client.h"

#include <algorithm>

#include "harness/mcp/json_members.h"
#include "harness/mcp/jsonrpc.h"

namespace mcpleak {
namespace {

constexpr auto kWaitSlice = std::chrono::milliseconds(100);
constexpr std::size_t kJunkExamples = 3;
constexpr std::size_t kJunkExampleChars = 120;


}  // namespace

McpClient::McpClient(Transport& transport, std::function<bool()> cancelled, ClientOptions options)
    : transport_(transport), cancelled_(std::move(cancelled)), options_(std::move(options)) {
  transport_.start([this](std::string_view line) { return on_line(line); },
                   [this](std::string reason) { on_closed(std::move(reason)); });
}

// The reader thread calls into this object: it must be gone before we are.
McpClient::~McpClient() { transport_.stop(); }

std::string McpClient::closed_reason() const {
  std::lock_guard lock(mutex_);
  return closed_reason_;
}

ClientCounters McpClient::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

void McpClient::on_closed(std::string reason) {
  {
    std::lock_guard lock(mutex_);
    closed_reason_ = std::move(reason);
    closed_.store(true);
  }
  cv_.notify_all();
}

bool McpClient::on_line(std::string_view line) {
  bool answered = false;
  for (Incoming& in : classify_line(line)) {
    switch (in.kind) {
      case MessageKind::invalid: {
        std::lock_guard lock(mutex_);
        ++counters_.non_json_lines;
        if (counters_.junk_examples.size() < kJunkExamples) {
          counters_.junk_examples.emplace_back(line.substr(0, kJunkExampleChars));
        }
        break;
      }
      case MessageKind::notification: {
        std::lock_guard lock(mutex_);
        ++counters_.notifications;
        break;
      }
      case MessageKind::request: {
        {
          std::lock_guard lock(mutex_);
          ++counters_.server_requests;
        }
        // Answered from the reader thread: the server may block on it before it
        // answers our pending request.
        // mcpleak acts on no client capability: elicitation, sampling and roots requests
        // (2025-11-25) get a plain refusal, never a made-up answer, even when a replayed
        // session presents the capabilities its recorded client declared.
        const std::string reply = in.method == "ping"
                                      ? make_result(in.id, nlohmann::json::object())
                                      : make_error(in.id, kMethodNotFound,
                                                   "not supported: mcpleak is a test client and answers no " +
                                                       in.method + " request");
        (void)transport_.send(reply);
        break;
      }
      case MessageKind::response:
      case MessageKind::error: {
        std::lock_guard lock(mutex_);
        auto it = in.id.is_number_integer() ? pending_.find(in.id.get<std::int64_t>())
                                            : pending_.end();
        if (it == pending_.end() || it->second.has_value()) {
          ++counters_.unmatched_responses;
          break;
        }
        it->second = Reply{in.kind == MessageKind::error, std::move(in.payload), line.size()};
        answered = true;
        cv_.notify_all();
        break;
      }
    }
  }
  return answered;
}

McpClient::WaitEnd McpClient::roundtrip(std::string_view method, const nlohmann::json& params,
                                        std::chrono::milliseconds timeout, Reply& reply,
                                        std::string& send_error) {
  std::int64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    pending_.emplace(id, std::nullopt);
  }
  auto forget = [&] {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
  };
  if (closed_.load()) {
    forget();
    return WaitEnd::closed;
  }
  const std::string message =
      modern_.load() ? make_request(id, method, with_request_meta(params, kModernProtocol, options_.identity)) : make_request(id, method, params);
  if (auto sent = transport_.send(message); !sent) {
    send_error = sent.error().message;
    forget();
    return sent.error().code == Errc::timeout ? WaitEnd::timeout : WaitEnd::closed;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    auto& slot = pending_.at(id);
    if (slot.has_value()) {
      reply = std::move(*slot);
      pending_.erase(id);
      return WaitEnd::replied;
    }
    if (closed_.load()) {
      pending_.erase(id);
      return WaitEnd::closed;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      pending_.erase(id);
      return WaitEnd::timeout;
    }
    if (cancelled_ && cancelled_()) {
      pending_.erase(id);
      return WaitEnd::cancelled;
    }
    cv_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(kWaitSlice, deadline - now));
  }
}

Result<ServerHello> McpClient::initialize(std::chrono::milliseconds timeout) {
  const auto& pinned = options_.protocol.pinned;
  if (pinned && !is_modern_version(*pinned)) return handshake(*pinned, timeout);
  if (!pinned && options_.handshake_first) return handshake(kHandshakeVersions.front(), timeout);
  const bool fallback = !pinned;
  auto found = discover(fallback ? std::min(timeout, options_.discover_timeout) : timeout);
  if (!found && found.error().code == Errc::server_exited) {
    // Some servers of older SDKs end the session on a method they do not know; over
    // stdio that ends the server.
    return Error(Errc::server_exited, found.error().message +
                                          " (servers of older SDKs may stop on a method they do not know: try "
                                          "--protocol 2025-11-25)");
  }
  if (!found && !fallback && found.error().code == Errc::protocol) {
    return Error(Errc::protocol, found.error().message + " (does the server speak 2026-07-28? --protocol auto "
                                                         "falls back to the initialize handshake)");
  }
  if (found || !fallback || found.error().code == Errc::io) return found;
  // Any failure of discover sends us to the handshake: servers of the initialize era
  // answer an unknown method in several ways, or not at all.
  std::string version = kHandshakeVersions.front();
  if (auto offered = unsupported_version_offers(last_error_); !offered.empty()) {
    if (auto chosen = choose_version(offered, options_.protocol); chosen && !is_modern_version(*chosen)) {
      version = *chosen;
    }
  }
  auto hello = handshake(version, timeout);
  if (!hello) {
    return Error(hello.error().code, hello.error().message + "; server/discover before it: " + found.error().message);
  }
  if (found.error().code == Errc::timeout) {
    hello->negotiation_note = "server/discover got no answer within " +
                              std::to_string(options_.discover_timeout.count() / 1000) + " s; " +
                              (hello->era == "initialize" ? "the initialize handshake answered, " + hello->protocol_version
                                                          : "the handshake's -32022 led to " + hello->protocol_version);
  }
  return hello;
}

Result<ServerHello> McpClient::discover(std::chrono::milliseconds timeout) {
  transport_.set_protocol_version(std::string(kModernProtocol));
  modern_.store(true);  // the request carries the envelope
  Reply reply;
  std::string send_error;
  const auto end = roundtrip("server/discover", nlohmann::json::object(), timeout, reply, send_error);
  modern_.store(false);
  transport_.set_protocol_version("");
  last_error_ = nullptr;
  switch (end) {
    case WaitEnd::replied: break;
    case WaitEnd::timeout:
      return Error(Errc::timeout, "no answer to server/discover within " + std::to_string(timeout.count() / 1000) +
                                      " s" + (send_error.empty() ? "" : " (" + send_error + ")"));
    case WaitEnd::closed:
      return Error(Errc::server_exited, "server closed the connection before answering server/discover" +
                                            (send_error.empty() ? "" : " (" + send_error + ")"));
    case WaitEnd::cancelled: return Error(Errc::io, "interrupted during server/discover");
  }
  if (reply.is_error) {
    last_error_ = reply.payload;
    return Error(Errc::protocol, "server/discover failed: " + error_text(reply.payload));
  }
  auto found = parse_discover_result(reply.payload);
  if (!found) return found.error();
  const auto chosen = choose_version(found->supported_versions, options_.protocol);
  if (!chosen || !is_modern_version(*chosen)) {
    std::string listed;
    for (const auto& v : found->supported_versions) listed += (listed.empty() ? "" : ", ") + v;
    return Error(Errc::protocol, "server/discover lists " + (listed.empty() ? std::string("no version") : listed) +
                                     "; mcpleak speaks " + std::string(kModernProtocol) + " without a handshake");
  }
  ServerHello hello;
  hello.protocol_version = *chosen;
  hello.era = std::string(kModernProtocol);
  hello.name = found->server_name;
  hello.version = found->server_version;
  hello.capabilities = found->capabilities;
  transport_.set_protocol_version(*chosen);
  modern_.store(true);
  return hello;
}

Result<ServerHello> McpClient::handshake(const std::string& version, std::chrono::milliseconds timeout) {
  const nlohmann::json params = {{"protocolVersion", version},
                                 {"capabilities", options_.identity.capabilities},
                                 {"clientInfo", options_.identity.client_info}};
  Reply reply;
  std::string send_error;
  switch (roundtrip("initialize", params, timeout, reply, send_error)) {
    case WaitEnd::replied: break;
    case WaitEnd::timeout:
      return Error(Errc::timeout, "no answer to initialize within " +
                                      std::to_string(timeout.count() / 1000) + " s" +
                                      (send_error.empty() ? "" : " (" + send_error + ")"));
    case WaitEnd::closed:
      return Error(Errc::server_exited, "server closed the connection before answering initialize" +
                                            (send_error.empty() ? "" : " (" + send_error + ")"));
    case WaitEnd::cancelled: return Error(Errc::io, "interrupted during initialize");
  }
  if (reply.is_error) {
    // -32022 lists what the server speaks: a 2026-07-28-only server answers the
    // handshake so, and is then spoken to without one.
    const auto offered = unsupported_version_offers(reply.payload);
    const auto chosen = offered.empty() ? std::nullopt : choose_version(offered, options_.protocol);
    if (chosen && is_modern_version(*chosen)) return discover(timeout);
    if (chosen && *chosen != version) return handshake(*chosen, timeout);
    return Error(Errc::protocol, "initialize failed: " + error_text(reply.payload));
  }
  ServerHello hello;
  const auto& r = reply.payload;
  if (!r.is_object() || !r.contains("protocolVersion") || !r["protocolVersion"].is_string()) {
    return Error(Errc::protocol, "initialize result has no protocolVersion string");
  }
  hello.protocol_version = r["protocolVersion"].get<std::string>();
  hello.era = "initialize";
  const auto& pinned = options_.protocol.pinned;
  const bool spoken = std::find(kHandshakeVersions.begin(), kHandshakeVersions.end(), hello.protocol_version) !=
                      kHandshakeVersions.end();
  if (!spoken || (pinned && *pinned != hello.protocol_version)) {
    std::string ours;
    for (const auto& v : kHandshakeVersions) ours += (ours.empty() ? "" : ", ") + v;
    return Error(Errc::protocol, "server chose protocol version " + hello.protocol_version +
                                     (pinned ? "; --protocol asked for " + *pinned
                                             : "; mcpleak's initialize speaks " + ours));
  }
  if (const auto info = r.find("serverInfo"); info != r.end() && info->is_object()) {
    hello.name = string_member(*info, "name");
    hello.version = string_member(*info, "version");
  }
  if (const auto caps = r.find("capabilities"); caps != r.end() && caps->is_object()) hello.capabilities = *caps;
  transport_.set_protocol_version(hello.protocol_version);
  if (auto sent = transport_.send(make_notification("notifications/initialized", nullptr)); !sent) {
    return Error(sent.error()).with("notifications/initialized");
  }
  return hello;
}

Result<std::vector<ToolInfo>> McpClient::list_tools(std::chrono::milliseconds timeout) {
  std::vector<ToolInfo> tools;
  nlohmann::json params = nlohmann::json::object();
  // tools/list is paginated: follow nextCursor, bounded so a looping server cannot trap us.
  for (int page = 0; page < 100; ++page) {
    Reply reply;
    std::string send_error;
    const auto end = roundtrip("tools/list", params, timeout, reply, send_error);
    if (end == WaitEnd::timeout) return Error(Errc::timeout, "no answer to tools/list");
    if (end != WaitEnd::replied) return Error(Errc::server_exited, "connection closed during tools/list");
    if (reply.is_error) return Error(Errc::protocol, "tools/list failed: " + error_text(reply.payload));
    const auto& r = reply.payload;
    if (!r.is_object() || !r.contains("tools") || !r["tools"].is_array()) {
      return Error(Errc::protocol, "tools/list result has no tools array");
    }
    for (const auto& t : r["tools"]) {
      if (t.is_object() && t.contains("name") && t["name"].is_string()) {
        tools.push_back({t["name"].get<std::string>(), t.value("inputSchema", nlohmann::json())});
      }
    }
    if (!r.contains("nextCursor") || !r["nextCursor"].is_string()) break;
    params = {{"cursor", r["nextCursor"]}};
  }
  return tools;
}

Result<void> McpClient::ping(std::chrono::milliseconds timeout) {
  Reply reply;
  std::string send_error;
  const char* method = modern_.load() ? "server/discover" : "ping";
  switch (roundtrip(method, nlohmann::json::object(), timeout, reply, send_error)) {
    case WaitEnd::replied: return {};
    case WaitEnd::timeout: return Error(Errc::timeout, "no answer to ping");
    default: return Error(Errc::server_exited, "connection closed during ping");
  }
}

CallOutcome McpClient::call_tool(const std::string& name, const nlohmann::json& arguments,
                                 std::chrono::milliseconds timeout) {
  CallOutcome out;
  const auto start = std::chrono::steady_clock::now();
  Reply reply;
  std::string send_error;
  const auto end = roundtrip("tools/call", {{"name", name}, {"arguments", arguments}}, timeout,
                             reply, send_error);
  out.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  switch (end) {
    case WaitEnd::timeout:
      out.timed_out = true;
      out.error = send_error.empty()
                      ? "timeout after " + std::to_string(timeout.count()) + " ms"
                      : send_error;
      return out;
    case WaitEnd::closed:
      out.server_gone = true;
      out.error = "server closed the connection";
      return out;
    case WaitEnd::cancelled:
      out.cancelled = true;
      out.error = "interrupted";
      return out;
    case WaitEnd::replied: break;
  }
  out.response_bytes = reply.bytes;
  if (reply.is_error) {
    out.error = "error: " + error_text(reply.payload);
    return out;
  }
  if (const auto type = result_type(reply.payload); type != "complete") {
    // 2026-07-28 asks the client for input this way; mcpleak declared that it can give
    // none, so a server that asks anyway fails the call.
    out.error = "resultType " + type + ": the server asked for input, and mcpleak (no client capabilities) gives none";
    out.result = std::move(reply.payload);
    return out;
  }
  if (bool_member(reply.payload, "isError", false)) {
    out.error = "isError: " + tool_error_text(reply.payload);
    out.result = std::move(reply.payload);
    return out;
  }
  out.ok = true;
  out.result = std::move(reply.payload);
  return out;
}

}  // namespace mcpleak
