// What a watched session says, read off the bytes the proxy passes: each direction is
// split into JSON-RPC lines, requests are paired with their responses, and every request
// that got an answer (or never will) becomes a CallRecord. Pure: bytes and timestamps
// in, records out; the proxy forwards the bytes before they reach the tap, so nothing
// here can change or delay them. Thread-safe: the two directions feed it from two threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/jsonrpc.h"
#include "harness/mcp/protocol.h"
#include "harness/model/sample.h"

namespace mcpleak {

// A tools/call the client made, as a recorded scenario replays it.
struct ObservedToolCall {
  double t_s = 0;  // when the client sent it
  std::string tool;
  nlohmann::json args = nlohmann::json::object();
};

struct TapCounters {
  std::uint64_t client_requests = 0, client_notifications = 0, client_non_json_lines = 0;
  std::uint64_t server_requests = 0, server_notifications = 0, server_non_json_lines = 0;
  std::uint64_t unmatched_responses = 0;  // a response to no request seen (either direction); one held for
                                          // its request counts once that request can no longer come
  std::uint64_t oversized_lines = 0;      // longer than the tap's cap: forwarded, not read
  std::uint64_t cancelled = 0;            // requests the client cancelled (notifications/cancelled)
  std::string first_server_junk;          // the first non-JSON line of the server's stdout
};

class SessionTap {
 public:
  // Lines longer than `max_line_bytes` are passed on by the proxy but not parsed here.
  explicit SessionTap(std::size_t max_line_bytes = 64u << 20, bool keep_tool_args = false);

  // Bytes the client sent to the server, and bytes the server sent to the client, at t_s.
  void client_bytes(std::string_view bytes, double t_s);
  void server_bytes(std::string_view bytes, double t_s);

  // Records completed since the last call, in completion order.
  std::vector<CallRecord> take_records();
  // The calls counted so far (kind scenario: tools/call, resources/read, ...), answered.
  std::uint64_t calls_done() const;
  // At the end of the session: every request still unanswered becomes an interrupted
  // record ("no response before the session ended").
  void end_session(double t_s);

  std::optional<ClientIdentity> client_identity() const;
  std::string server_name() const;       // "name version" from initialize's result
  std::string protocol_version() const;  // the server's answer to initialize, or the client's _meta
  // The client's tools/calls with their arguments (only with keep_tool_args).
  std::vector<ObservedToolCall> tool_calls() const;
  TapCounters counters() const;

 private:
  struct Pending {
    std::string method, tool;
    double t_s = 0;
    std::uint64_t bytes = 0;
  };
  // A response read before the request it answers reached the tap: the two directions
  // are fed from two threads, and a fast client can answer a server's request before
  // the other thread has shown that request here. Held until the request arrives.
  struct EarlyResponse {
    Incoming in;
    std::size_t bytes = 0;
    double t_s = 0;
  };
  using PendingById = std::map<std::string, Pending>;
  using EarlyById = std::map<std::string, EarlyResponse>;
  static CallRecord record_of(const Pending& p, double t_s, bool from_server);
  void client_line(std::string_view line, double t_s);
  void server_line(std::string_view line, double t_s);
  void add_pending(PendingById& pending, EarlyById& early, const nlohmann::json& id, Pending p, bool from_server);
  void complete(PendingById& pending, EarlyById& early, const Incoming& in, std::size_t line_bytes, double t_s,
                bool from_server);
  void finish(const Pending& p, const Incoming& in, std::size_t line_bytes, double t_s, bool from_server);
  void drop_unanswerable(EarlyById& early, double t_s);

  mutable std::mutex mutex_;
  bool keep_tool_args_;
  LineSplitter from_client_, from_server_;
  PendingById client_pending_;  // by id (JSON text): the client's requests
  PendingById server_pending_;  // the server's requests to the client
  EarlyById early_from_server_;  // answers to client requests not yet seen
  EarlyById early_from_client_;  // answers to server requests not yet seen
  std::vector<CallRecord> done_;
  std::uint64_t calls_done_ = 0;
  std::optional<ClientIdentity> identity_;
  std::string server_name_, protocol_version_;
  std::vector<ObservedToolCall> tool_calls_;
  TapCounters counters_;
};

// Whether a request of this method is a call that counts (tools/call, resources/read,
// prompts/get, completion/complete), and what a record names it: the tool, or the method.
bool is_counted_call(std::string_view method);

}  // namespace mcpleak
