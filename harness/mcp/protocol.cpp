#include "harness/mcp/protocol.h"

#include <algorithm>

#include "harness/mcp/json_members.h"

namespace mcpleak {
namespace {

constexpr const char* kMetaVersion = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kMetaCapabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr const char* kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";

std::vector<std::string> strings_of(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& v : list) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::vector<std::string> supported_protocol_versions() {
  std::vector<std::string> all{std::string(kModernProtocol)};
  all.insert(all.end(), kHandshakeVersions.begin(), kHandshakeVersions.end());
  return all;
}

bool is_modern_version(std::string_view version) { return version == kModernProtocol; }

Result<ProtocolChoice> parse_protocol_choice(std::string_view text) {
  if (text == "auto" || text.empty()) return ProtocolChoice{};
  const auto all = supported_protocol_versions();
  if (std::find(all.begin(), all.end(), text) != all.end()) return ProtocolChoice{std::string(text)};
  std::string list;
  for (const auto& v : all) list += ", " + v;
  return Error(Errc::usage, "--protocol " + std::string(text) + ": mcpleak speaks auto" + list);
}

nlohmann::json with_request_meta(nlohmann::json params, std::string_view version, const ClientIdentity& identity) {
  if (!params.is_object()) params = nlohmann::json::object();
  auto& meta = params["_meta"];
  if (!meta.is_object()) meta = nlohmann::json::object();
  meta[kMetaVersion] = std::string(version);
  if (!meta.contains(kMetaCapabilities)) meta[kMetaCapabilities] = identity.capabilities;
  if (!meta.contains(kMetaClientInfo)) meta[kMetaClientInfo] = identity.client_info;
  return params;
}

std::optional<ClientIdentity> client_identity_of(std::string_view method, const nlohmann::json& params) {
  if (!params.is_object()) return std::nullopt;
  ClientIdentity id;
  const nlohmann::json* source = nullptr;
  const char *version_key = nullptr, *caps_key = nullptr, *info_key = nullptr;
  if (method == "initialize") {
    source = &params;
    version_key = "protocolVersion", caps_key = "capabilities", info_key = "clientInfo";
  } else if (const auto meta = params.find("_meta"); meta != params.end() && meta->is_object() &&
                                                     meta->contains(kMetaVersion)) {
    source = &*meta;
    version_key = kMetaVersion, caps_key = kMetaCapabilities, info_key = kMetaClientInfo;
  } else {
    return std::nullopt;
  }
  id.protocol_version = string_member(*source, version_key);
  if (const auto c = source->find(caps_key); c != source->end() && c->is_object()) id.capabilities = *c;
  if (const auto i = source->find(info_key); i != source->end() && i->is_object()) id.client_info = *i;
  return id;
}

nlohmann::json client_identity_json(const ClientIdentity& id) {
  return {{"protocolVersion", id.protocol_version}, {"capabilities", id.capabilities}, {"clientInfo", id.client_info}};
}

Result<ClientIdentity> client_identity_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error(Errc::usage, "expected {\"protocolVersion\", \"capabilities\", \"clientInfo\"}");
  ClientIdentity id;
  if (const auto v = j.find("protocolVersion"); v != j.end()) {
    if (!v->is_string()) return Error(Errc::usage, "protocolVersion: expected a string");
    id.protocol_version = v->get<std::string>();
  }
  if (const auto c = j.find("capabilities"); c != j.end()) {
    if (!c->is_object()) return Error(Errc::usage, "capabilities: expected an object");
    id.capabilities = *c;
  }
  if (const auto i = j.find("clientInfo"); i != j.end()) {
    if (!i->is_object()) return Error(Errc::usage, "clientInfo: expected an object");
    id.client_info = *i;
  }
  return id;
}

Result<DiscoverResult> parse_discover_result(const nlohmann::json& result) {
  if (!result.is_object()) return Error(Errc::protocol, "server/discover result is not an object");
  const auto versions = result.find("supportedVersions");
  if (versions == result.end() || !versions->is_array()) {
    return Error(Errc::protocol, "server/discover result has no supportedVersions list");
  }
  DiscoverResult d;
  d.supported_versions = strings_of(*versions);
  if (const auto caps = result.find("capabilities"); caps != result.end() && caps->is_object()) d.capabilities = *caps;
  if (const auto meta = result.find("_meta"); meta != result.end() && meta->is_object()) {
    if (const auto info = meta->find(kMetaServerInfo); info != meta->end() && info->is_object()) {
      d.server_name = string_member(*info, "name");
      d.server_version = string_member(*info, "version");
    }
  }
  // Older drafts put serverInfo at the top level.
  if (d.server_name.empty()) {
    if (const auto info = result.find("serverInfo"); info != result.end() && info->is_object()) {
      d.server_name = string_member(*info, "name");
      d.server_version = string_member(*info, "version");
    }
  }
  return d;
}

std::vector<std::string> unsupported_version_offers(const nlohmann::json& error) {
  if (!error.is_object()) return {};
  const auto code = error.find("code");
  if (code == error.end() || !code->is_number_integer() || code->get<long long>() != kUnsupportedProtocolVersion) {
    return {};
  }
  const auto data = error.find("data");
  if (data == error.end() || !data->is_object()) return {};
  const auto supported = data->find("supported");
  return supported == data->end() ? std::vector<std::string>{} : strings_of(*supported);
}

std::optional<std::string> choose_version(const std::vector<std::string>& offered, const ProtocolChoice& choice) {
  for (const auto& ours : supported_protocol_versions()) {
    if (choice.pinned && ours != *choice.pinned) continue;
    if (std::find(offered.begin(), offered.end(), ours) != offered.end()) return ours;
  }
  return std::nullopt;
}

std::string mcp_name_header(std::string_view method, const nlohmann::json& params) {
  if (!params.is_object()) return {};
  if (method == "tools/call" || method == "prompts/get") return string_member(params, "name");
  if (method == "resources/read") return string_member(params, "uri");
  return {};
}

std::string result_type(const nlohmann::json& result) {
  const std::string type = result.is_object() ? string_member(result, "resultType") : std::string();
  return type.empty() ? "complete" : type;
}

}  // namespace mcpleak
