// Which era of MCP one request belongs to, and the errors and result fields of MCP
// 2026-07-28. Pure: JSON (and header values) in, JSON out; no I/O, no state.
// A request whose params._meta names a protocol version is 2026-07-28 ("modern": no
// handshake, served statelessly); every other message belongs to the initialize
// handshake era (2024-11-05 to 2025-11-25), as before 2026.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mcpleak::axref {

inline constexpr const char* kServerName = "axref";
inline constexpr const char* kAxrefVersion = MCPLEAK_VERSION;  // project() in CMakeLists.txt

// The one version served per request, with the _meta envelope and without a handshake.
inline constexpr std::string_view kModernProtocolVersion = "2026-07-28";
// The versions `initialize` accepts, newest first; the first is the answer to a version
// axref does not speak (including 2026-07-28, which never goes through initialize).
inline constexpr std::array<std::string_view, 4> kHandshakeProtocolVersions = {
    "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
inline constexpr std::string_view kDefaultProtocolVersion = kHandshakeProtocolVersions.front();

// Keys of the 2026-07-28 envelope (params._meta) and of a result's _meta.
inline constexpr const char* kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* kMetaClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

// JSON-RPC error codes. -32020 and -32022 are defined by 2026-07-28.
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kHeaderMismatch = -32020;
inline constexpr int kUnsupportedProtocolVersion = -32022;

// The protocolVersion initialize answers with: the client's when it is one of
// kHandshakeProtocolVersions, else kDefaultProtocolVersion (also for a non-string).
std::string negotiate_protocol_version(const nlohmann::json& requested);

enum class RequestEra {
  handshake,            // no version claim in params._meta: the initialize era
  modern,               // a valid 2026-07-28 envelope
  unsupported_version,  // a claim naming a version other than kModernProtocolVersion
  broken_envelope,      // a claim, but the envelope is malformed
};

struct EraCheck {
  RequestEra era = RequestEra::handshake;
  std::string version;  // the claimed version (modern, unsupported_version); else empty
  // The JSON-RPC error object ({code, message, data}) for unsupported_version (-32022)
  // and broken_envelope (-32602); null otherwise.
  nlohmann::json error;
};

// Classifies one JSON-RPC message by params._meta[kMetaProtocolVersion] alone: a message
// without a string method, without an object params._meta, or whose _meta lacks that
// key is handshake era. With the key: the version must be a string (else
// broken_envelope), equal kModernProtocolVersion (else unsupported_version, checked
// before the rest of the envelope), and _meta must hold an object kMetaClientCapabilities
// (`{}` is fine) and, when present, an object kMetaClientInfo with string name and
// version (else broken_envelope, data.envelope = {key, problem}). Notifications are
// classified too; they are never answered.
EraCheck classify_request(const nlohmann::json& message);

// -32022 for a request naming `requested`: data {"supported":["2026-07-28"], "requested"}.
// Only the modern version is listed: a version listed here can be put in _meta, while
// the handshake versions are offered by initialize.
nlohmann::json unsupported_version_error(std::string_view requested);

// -32602 for a request whose MCP-Protocol-Version header names 2026-07-28 but whose body
// has no version claim (data.envelope.missing lists the absent keys).
nlohmann::json missing_envelope_error();

// A 2026-07-28 result: `result` (an object) with "resultType":"complete" and
// _meta[kMetaServerInfo] = {name, version} added; other _meta keys are kept.
nlohmann::json modern_result(nlohmann::json result);

// The Streamable HTTP headers of a 2026-07-28 POST, as received; nullopt when absent.
struct ModernHeaders {
  std::optional<std::string> protocol_version;  // MCP-Protocol-Version
  std::optional<std::string> method;            // Mcp-Method
  std::optional<std::string> name;              // Mcp-Name (may be =?base64?...?=)
};

// Checks the headers of a request classified modern against its body: the
// MCP-Protocol-Version header must equal the claimed version, Mcp-Method the method, and
// for tools/call and prompts/get (params.name) or resources/read (params.uri) Mcp-Name
// that value after decode_header_value; a body without that string value needs no
// Mcp-Name. Returns nullopt when all agree, else the -32020 error object for the first
// failure, with data.mismatch = {"header": NAME, "received": VALUE or null when missing,
// "body": the body's value}.
std::optional<nlohmann::json> check_modern_headers(const nlohmann::json& message,
                                                   const ModernHeaders& headers);

// Decodes the Base64 sentinel form "=?base64?B64?=" of a header value (spec 2026-07-28,
// streamable HTTP, value encoding); any other value is returned unchanged. nullopt when
// the sentinel holds invalid Base64.
std::optional<std::string> decode_header_value(std::string_view value);

}  // namespace mcpleak::axref
