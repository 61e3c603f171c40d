#include "harness/mcp/http_transport.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

#include "harness/mcp/jsonrpc.h"
#include "harness/mcp/protocol.h"
#include "harness/mcp/sse.h"

namespace mcpleak {
namespace {

// JSON-RPC's implementation-defined server-error range: the HTTP exchange itself failed.
constexpr int kHttpExchangeFailed = -32000;
constexpr std::size_t kQuoteChars = 200;
constexpr auto kDeleteReadTimeout = std::chrono::seconds(10);

std::string quote(std::string_view body) {
  std::string out(body.substr(0, kQuoteChars));
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (body.size() > kQuoteChars) out += "...";
  return out.empty() ? "(empty body)" : "'" + out + "'";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Whether `message` (one JSON-RPC message or a batch) holds the response to `id`.
bool answers(std::string_view message, const nlohmann::json& id) {
  const auto j = nlohmann::json::parse(message, nullptr, false);
  auto is_answer = [&](const nlohmann::json& m) {
    return m.is_object() && m.contains("id") && m["id"] == id &&
           (m.contains("result") || m.contains("error"));
  };
  if (j.is_array()) return std::any_of(j.begin(), j.end(), is_answer);
  return is_answer(j);
}

template <class Rep, class Period>
std::pair<time_t, time_t> sec_usec(std::chrono::duration<Rep, Period> d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return {static_cast<time_t>(us / 1000000), static_cast<time_t>(us % 1000000)};
}

}  // namespace

HttpTransport::HttpTransport(HttpEndpoint endpoint, HttpTransportOptions options)
    : endpoint_(std::move(endpoint)), options_(options) {}

HttpTransport::~HttpTransport() { stop(); }

void HttpTransport::start(MessageHandler on_line, std::function<void(std::string)> on_closed) {
  on_line_ = std::move(on_line);
  on_closed_ = std::move(on_closed);
}

std::string HttpTransport::session_id() const {
  std::lock_guard lock(mutex_);
  return session_id_;
}

void HttpTransport::set_protocol_version(const std::string& version) {
  std::lock_guard lock(mutex_);
  protocol_version_ = version;
}

std::shared_ptr<httplib::Client> HttpTransport::make_client() const {
  auto client = std::make_shared<httplib::Client>(endpoint_.origin());
  const auto [cs, cus] = sec_usec(options_.connect_timeout);
  client->set_connection_timeout(cs, cus);
  const auto [rs, rus] = sec_usec(options_.read_timeout);
  client->set_read_timeout(rs, rus);
  client->set_write_timeout(rs, rus);
  return client;
}

void HttpTransport::close(std::string reason) {
  if (!closed_.exchange(true) && on_closed_) on_closed_(std::move(reason));
}

void HttpTransport::fail_request(const nlohmann::json& request_id, const std::string& why) {
  if (!request_id.is_null() && on_line_) on_line_(make_error(request_id, kHttpExchangeFailed, why));
}

void HttpTransport::reap_finished() {
  for (auto it = exchanges_.begin(); it != exchanges_.end();) {
    if ((*it)->done.load()) {
      if ((*it)->thread.joinable()) (*it)->thread.join();
      it = exchanges_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<void> HttpTransport::send(std::string_view message) {
  if (stopping_.load()) return Error(Errc::io, "transport stopped");
  if (closed_.load()) return Error(Errc::server_exited, "connection to " + endpoint_.display_url() + " lost");
  // A request's id, so that an HTTP failure can be answered on the request's behalf;
  // its method and name for the headers of 2026-07-28.
  nlohmann::json id;
  std::string method, name;
  if (const auto j = nlohmann::json::parse(message, nullptr, false); j.is_object() && j.contains("method")) {
    if (j.contains("id")) id = j["id"];
    if (j["method"].is_string()) method = j["method"].get<std::string>();
    name = mcp_name_header(method, j.value("params", nlohmann::json()));
  }
  auto exchange = std::make_unique<Exchange>();
  exchange->client = make_client();
  Exchange* raw = exchange.get();
  std::unique_lock lock(mutex_);
  reap_finished();
  if (id.is_null()) {
    // A notification or a response: the server answers 202 at once. Sent before send()
    // returns, so that "notifications/initialized" reaches the server before the next
    // request does (separate POSTs on separate connections could overtake each other).
    exchanges_.push_back(std::move(exchange));
    lock.unlock();
    post(*raw->client, std::string(message), std::move(id), method, name);
    raw->done.store(true);
    return {};
  }
  raw->thread = std::thread([this, raw, body = std::string(message), id = std::move(id), method, name]() mutable {
    post(*raw->client, std::move(body), std::move(id), method, name);
    raw->done.store(true);
  });
  exchanges_.push_back(std::move(exchange));
  return {};
}

void HttpTransport::post(httplib::Client& client, std::string body, nlohmann::json id, const std::string& method,
                         const std::string& name) {
  httplib::Request req;
  req.method = "POST";
  req.path = endpoint_.path;
  req.set_header("Content-Type", "application/json");
  req.set_header("Accept", "application/json, text/event-stream");
  for (const auto& [name, value] : options_.headers) req.set_header(name, value);
  {
    std::lock_guard lock(mutex_);
    if (!session_id_.empty()) req.set_header("Mcp-Session-Id", session_id_);
    if (!protocol_version_.empty()) req.set_header("MCP-Protocol-Version", protocol_version_);
    // 2026-07-28 routes by headers that must match the body; earlier versions have none.
    if (is_modern_version(protocol_version_) && !method.empty()) {
      req.set_header("Mcp-Method", method);
      if (!name.empty()) req.set_header("Mcp-Name", name);
    }
  }
  req.body = std::move(body);

  int status = 0;
  bool event_stream = false;
  bool too_big = false;
  bool answered = false;
  std::string plain_body;
  SseDecoder sse(options_.max_message_bytes);
  // The client says whether a message answered a request it waits for; in this POST's
  // answer that can only be this request (no second parse of every response here).
  auto deliver = [&](std::string_view message) { answered = on_line_(message) || answered; };
  req.response_handler = [&](const httplib::Response& res) {
    status = res.status;
    event_stream = lower(res.get_header_value("Content-Type")).starts_with("text/event-stream");
    if (auto sid = res.get_header_value("Mcp-Session-Id"); !sid.empty()) {
      std::lock_guard lock(mutex_);
      session_id_ = sid;
    }
    return !stopping_.load();
  };
  req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
    if (stopping_.load()) return false;
    if (event_stream && status < 300) {
      sse.feed(std::string_view(data, n), deliver);
      return true;
    }
    if (plain_body.size() + n > options_.max_message_bytes) {
      too_big = true;
      return false;
    }
    plain_body.append(data, n);
    return true;
  };

  const auto started = std::chrono::steady_clock::now();
  const auto result = client.send(req);
  if (stopping_.load()) return;
  oversized_ += sse.oversized_events();
  if (too_big) {
    ++oversized_;
    fail_request(id, "response larger than the " + std::to_string(options_.max_message_bytes >> 20) +
                         " MiB cap, dropped");
    return;
  }
  if (!result) {
    ++http_errors_;
    if (result.error() == httplib::Error::Connection) {
      close("cannot connect to " + endpoint_.display_url() + " (connection refused or no route)");
      return;
    }
    // A read that timed out: McpClient's own, shorter, call timeout has already spoken.
    if (std::chrono::steady_clock::now() - started >= options_.read_timeout) return;
    fail_request(id, "HTTP exchange with " + endpoint_.display_url() + " failed: " + httplib::to_string(result.error()));
    return;
  }
  if (status >= 400) {
    ++http_errors_;
    if (!id.is_null() && answers(plain_body, id)) {
      deliver(plain_body);  // the server's own JSON-RPC error says more than the status
      return;
    }
    std::string why = "HTTP " + std::to_string(status) + " from " + endpoint_.display_url() + ": " + quote(plain_body);
    if (status == 404 && req.has_header("Mcp-Session-Id")) {
      why = "HTTP 404: the server no longer knows session " + req.get_header_value("Mcp-Session-Id") +
            " (expired or closed)";
    }
    fail_request(id, why);
    return;
  }
  if (!event_stream && !plain_body.empty()) deliver(plain_body);
  if (id.is_null() || answered) return;
  if (event_stream) {
    fail_request(id, "the event stream ended without a response to the request");
  } else if (plain_body.empty()) {
    fail_request(id, "HTTP " + std::to_string(status) + " with no response body to a request");
  } else {
    fail_request(id, "HTTP " + std::to_string(status) + " body is not a response to the request: " +
                         quote(plain_body));
  }
}

Result<void> HttpTransport::end_session() {
  std::string sid, version;
  {
    std::lock_guard lock(mutex_);
    sid = std::exchange(session_id_, {});
    version = std::exchange(protocol_version_, {});
  }
  if (sid.empty()) return {};  // the server assigned none: nothing to close
  auto client = make_client();
  const auto [rs, rus] = sec_usec(kDeleteReadTimeout);
  client->set_read_timeout(rs, rus);
  httplib::Headers headers{{"Mcp-Session-Id", sid}};
  for (const auto& [name, value] : options_.headers) headers.emplace(name, value);
  if (!version.empty()) headers.emplace("MCP-Protocol-Version", version);
  const auto res = client->Delete(endpoint_.path.c_str(), headers);
  if (!res) {
    ++http_errors_;
    return Error(Errc::io, "DELETE " + endpoint_.display_url() + ": " + httplib::to_string(res.error()));
  }
  // 405: the server does not let clients end sessions, which the spec allows.
  if (res->status >= 400 && res->status != 405) {
    ++http_errors_;
    return Error(Errc::protocol, "DELETE session " + sid + ": HTTP " + std::to_string(res->status));
  }
  return {};
}

void HttpTransport::abandon_session() {
  std::lock_guard lock(mutex_);
  session_id_.clear();
  protocol_version_.clear();
}

void HttpTransport::stop() {
  stopping_.store(true);
  std::list<std::unique_ptr<Exchange>> exchanges;
  {
    std::lock_guard lock(mutex_);
    exchanges.swap(exchanges_);
  }
  // A thread may not have reached its socket when stop() first runs: keep aborting
  // until every exchange has returned.
  for (;;) {
    bool all_done = true;
    for (auto& e : exchanges) {
      if (e->done.load()) continue;
      all_done = false;
      e->client->stop();
    }
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& e : exchanges) {
    if (e->thread.joinable()) e->thread.join();
  }
}

}  // namespace mcpleak
