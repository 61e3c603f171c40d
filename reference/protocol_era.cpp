#include "reference/protocol_era.h"

#include <cstdint>

namespace mcpleak::axref {
namespace {

using nlohmann::json;

json envelope_error(const char* key, const std::string& problem) {
  return {{"code", kInvalidParams},
          {"message", "invalid _meta envelope for protocol revision " +
                          std::string(kModernProtocolVersion) + ": " + key + ": " + problem},
          {"data", {{"envelope", {{"key", key}, {"problem", problem}}}}}};
}

EraCheck broken(const char* key, const std::string& problem) {
  return {RequestEra::broken_envelope, {}, envelope_error(key, problem)};
}

// obj[key] when obj is an object holding a string there, else "".
std::string string_at(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Value of base64 digit `c`, or -1.
int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard Base64 with padding optional; nullopt on any other character or a stray
// trailing digit.
std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const int d = base64_digit(c);
    if (d < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(d);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  if (count >= 6) return std::nullopt;  // one digit left over: not a whole byte
  return out;
}

// The body value Mcp-Name must carry, or nullopt when the method has none or the body
// does not hold it as a string.
std::optional<std::string> name_source(const std::string& method, const json& params) {
  const char* field = nullptr;
  if (method == "tools/call" || method == "prompts/get") field = "name";
  if (method == "resources/read") field = "uri";
  if (field == nullptr || !params.is_object()) return std::nullopt;
  const auto it = params.find(field);
  if (it == params.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

json mismatch(const char* header, const std::optional<std::string>& received,
              const std::string& body, const std::string& what) {
  const std::string quoted_body = what + " is \"" + body + "\"";
  const std::string detail =
      received ? "the " + std::string(header) + " header names \"" + *received + "\" but " +
                     quoted_body
               : "the required " + std::string(header) + " header is absent (" + quoted_body + ")";
  return {{"code", kHeaderMismatch},
          {"message", "header mismatch: " + detail},
          {"data",
           {{"mismatch",
             {{"header", header},
              {"received", received ? json(*received) : json(nullptr)},
              {"body", body}}}}}};
}

}  // namespace

std::string negotiate_protocol_version(const json& requested) {
  if (requested.is_string()) {
    for (std::string_view v : kHandshakeProtocolVersions) {
      if (requested.get<std::string>() == v) return std::string(v);
    }
  }
  return std::string(kDefaultProtocolVersion);
}

EraCheck classify_request(const json& message) {
  if (!message.is_object()) return {};
  const auto method = message.find("method");
  if (method == message.end() || !method->is_string()) return {};
  const auto params = message.find("params");
  if (params == message.end() || !params->is_object()) return {};
  const auto meta = params->find("_meta");
  if (meta == params->end() || !meta->is_object()) return {};
  const auto version = meta->find(kMetaProtocolVersion);
  if (version == meta->end()) return {};

  if (!version->is_string()) return broken(kMetaProtocolVersion, "not a string");
  const std::string claimed = version->get<std::string>();
  if (claimed != kModernProtocolVersion) {
    return {RequestEra::unsupported_version, claimed, unsupported_version_error(claimed)};
  }
  const auto caps = meta->find(kMetaClientCapabilities);
  if (caps == meta->end()) return broken(kMetaClientCapabilities, "missing");
  if (!caps->is_object()) return broken(kMetaClientCapabilities, "not an object");
  if (const auto info = meta->find(kMetaClientInfo); info != meta->end()) {
    const bool ok = info->is_object() && info->contains("name") && (*info)["name"].is_string() &&
                    info->contains("version") && (*info)["version"].is_string();
    if (!ok) return broken(kMetaClientInfo, "not an object with string name and version");
  }
  return {RequestEra::modern, claimed, nullptr};
}

json unsupported_version_error(std::string_view requested) {
  return {{"code", kUnsupportedProtocolVersion},
          {"message", "Unsupported protocol version: " + std::string(requested)},
          {"data",
           {{"supported", json::array({std::string(kModernProtocolVersion)})},
            {"requested", std::string(requested)}}}};
}

json missing_envelope_error() {
  return {{"code", kInvalidParams},
          {"message", "invalid params: the MCP-Protocol-Version header names protocol revision " +
                          std::string(kModernProtocolVersion) +
                          ", but the request has no _meta envelope naming it"},
          {"data",
           {{"envelope",
             {{"missing", json::array({kMetaProtocolVersion, kMetaClientCapabilities})}}}}}};
}

json modern_result(json result) {
  result["resultType"] = "complete";
  json& meta = result["_meta"];
  if (!meta.is_object()) meta = json::object();
  meta[kMetaServerInfo] = {{"name", kServerName}, {"version", kAxrefVersion}};
  return result;
}

std::optional<json> check_modern_headers(const json& message, const ModernHeaders& headers) {
  const json params =
      message.is_object() && message.contains("params") ? message["params"] : json::object();
  const std::string version = params.is_object() && params.contains("_meta")
                                  ? string_at(params["_meta"], kMetaProtocolVersion)
                                  : std::string();
  if (headers.protocol_version != version) {
    return mismatch("MCP-Protocol-Version", headers.protocol_version, version,
                    "the body's _meta version");
  }
  const std::string method = string_at(message, "method");
  if (headers.method != method) {
    return mismatch("Mcp-Method", headers.method, method, "the body's method");
  }
  const auto name = name_source(method, params);
  if (!name) return std::nullopt;
  const auto decoded = headers.name ? decode_header_value(*headers.name) : std::nullopt;
  if (!headers.name || decoded != *name) {
    return mismatch(
        "Mcp-Name", headers.name, *name,
        method == "resources/read" ? "the body's params.uri" : "the body's params.name");
  }
  return std::nullopt;
}

std::optional<std::string> decode_header_value(std::string_view value) {
  constexpr std::string_view kPrefix = "=?base64?";
  constexpr std::string_view kSuffix = "?=";
  if (value.size() < kPrefix.size() + kSuffix.size() ||
      value.substr(0, kPrefix.size()) != kPrefix ||
      value.substr(value.size() - kSuffix.size()) != kSuffix) {
    return std::string(value);
  }
  return base64_decode(
      value.substr(kPrefix.size(), value.size() - kPrefix.size() - kSuffix.size()));
}

}  // namespace mcpleak::axref
