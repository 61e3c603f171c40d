// MCP protocol versions and their two eras, as pure functions: which versions mcpleak
// speaks, the per-request `_meta` envelope of 2026-07-28, reading `server/discover`
// results and `-32022` (unsupported version) errors, and choosing a version.
//
// Eras: "initialize" (2024-11-05 ... 2025-11-25: an initialize handshake, sessions over
// HTTP) and "2026-07-28" (no handshake; every request carries the version and the
// client's capabilities in params._meta; `server/discover` says what a server speaks; no
// sessions and no ping). Captured wire transcripts of both: tests/fixtures/protocol/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/result.h"

namespace mcpleak {

inline constexpr std::string_view kModernProtocol = "2026-07-28";
// The versions of the initialize handshake mcpleak speaks, newest first; it offers the first.
inline const std::vector<std::string> kHandshakeVersions = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
// Every version, newest first.
std::vector<std::string> supported_protocol_versions();
bool is_modern_version(std::string_view version);

// JSON-RPC error codes of 2026-07-28.
inline constexpr int kUnsupportedProtocolVersion = -32022;

// `--protocol`: auto (server/discover first, the handshake as fallback) or one version.
struct ProtocolChoice {
  std::optional<std::string> pinned;  // empty: auto
  bool automatic() const { return !pinned.has_value(); }
};
// "auto" or a version mcpleak speaks; Errc::usage listing them otherwise.
Result<ProtocolChoice> parse_protocol_choice(std::string_view text);

// Who a client says it is: what it sends in initialize's params, or (2026-07-28) in every
// request's `_meta`. mcpleak's own: no capabilities, clientInfo mcpleak. A session that
// `mcpleak watch` recorded keeps its client's, and its replay presents them.
struct ClientIdentity {
  std::string protocol_version;                               // empty: not said
  nlohmann::json capabilities = nlohmann::json::object();
  nlohmann::json client_info = {{"name", "mcpleak"}, {"version", MCPLEAK_VERSION}};
};
// The identity a request carries: initialize's params, or a 2026-07-28 `_meta` envelope
// with a protocol version. Empty for any other request.
std::optional<ClientIdentity> client_identity_of(std::string_view method, const nlohmann::json& params);
// {"protocolVersion", "capabilities", "clientInfo"}, as a recorded scenario's "client" holds it.
nlohmann::json client_identity_json(const ClientIdentity& id);
// From a scenario's "client" object; Errc::usage saying which member is wrong.
Result<ClientIdentity> client_identity_from_json(const nlohmann::json& j);

// `params` with `_meta` carrying the 2026-07-28 envelope: protocol version, client
// capabilities (mcpleak's own: none, it answers no input requests) and client info. Keys
// already in params._meta are kept.
nlohmann::json with_request_meta(nlohmann::json params, std::string_view version,
                                 const ClientIdentity& identity = {});

// What a `server/discover` result says. Errc::protocol when it is not one.
struct DiscoverResult {
  std::vector<std::string> supported_versions;
  std::string server_name, server_version;   // from _meta["io.modelcontextprotocol/serverInfo"]
  nlohmann::json capabilities = nlohmann::json::object();
};
Result<DiscoverResult> parse_discover_result(const nlohmann::json& result);

// The versions a `-32022` error lists in data.supported; empty for any other error.
std::vector<std::string> unsupported_version_offers(const nlohmann::json& error);

// The version to use from what a server lists: the newest mcpleak speaks (the pinned
// one only, when pinned). Empty when there is none.
std::optional<std::string> choose_version(const std::vector<std::string>& offered, const ProtocolChoice& choice);

// The value of the `Mcp-Name` header for a request: the tool or prompt name, or the
// resource URI; empty for methods that have none.
std::string mcp_name_header(std::string_view method, const nlohmann::json& params);

// A result's resultType; "complete" when absent (and always before 2026-07-28).
std::string result_type(const nlohmann::json& result);

}  // namespace mcpleak
