#include "harness/mcp/jsonrpc.h"

#include "harness/mcp/json_members.h"

namespace mcpleak {
namespace {

Incoming classify_value(const nlohmann::json& msg) {
  Incoming in;
  if (!msg.is_object()) {
    in.problem = "not a JSON object";
    return in;
  }
  const auto version = msg.find("jsonrpc");
  if (version == msg.end() || *version != "2.0") {
    in.problem = "missing \"jsonrpc\": \"2.0\"";
    return in;
  }
  const auto id = msg.find("id");
  const auto method = msg.find("method");
  if (id != msg.end()) in.id = *id;
  if (method != msg.end()) {
    if (!method->is_string()) {
      in.problem = "\"method\" is not a string";
      return in;
    }
    in.method = method->get<std::string>();
    in.payload = msg.value("params", nlohmann::json::object());
    in.kind = id != msg.end() ? MessageKind::request : MessageKind::notification;
    return in;
  }
  if (id == msg.end()) {
    in.problem = "neither \"method\" nor \"id\"";
    return in;
  }
  if (const auto result = msg.find("result"); result != msg.end()) {
    in.kind = MessageKind::response;
    in.payload = *result;
  } else if (const auto error = msg.find("error"); error != msg.end()) {
    in.kind = MessageKind::error;
    in.payload = *error;
  } else {
    in.problem = "response without \"result\" or \"error\"";
  }
  return in;
}

}  // namespace

void LineSplitter::feed(std::string_view bytes,
                        const std::function<void(std::string_view)>& on_line) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view chunk = bytes.substr(0, nl);
    if (discarding_) {
      if (nl == std::string_view::npos) return;
      discarding_ = false;
    } else if (partial_.size() + chunk.size() > max_line_bytes_) {
      partial_.clear();
      partial_.shrink_to_fit();
      ++oversized_lines_;
      discarding_ = nl == std::string_view::npos;
    } else if (nl == std::string_view::npos) {
      partial_.append(chunk);
      return;
    } else {
      std::string_view line = chunk;
      if (!partial_.empty()) {
        partial_.append(chunk);
        line = partial_;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line);
      partial_.clear();
    }
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
  }
}

std::vector<Incoming> classify_line(std::string_view line) {
  std::vector<Incoming> out;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return out;
  nlohmann::json msg = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (msg.is_discarded()) {
    Incoming bad;
    bad.problem = "not JSON";
    out.push_back(std::move(bad));
    return out;
  }
  if (msg.is_array()) {
    for (const auto& element : msg) out.push_back(classify_value(element));
    if (out.empty()) {
      Incoming bad;
      bad.problem = "empty batch";
      out.push_back(std::move(bad));
    }
    return out;
  }
  out.push_back(classify_value(msg));
  return out;
}

std::string make_request(std::int64_t id, std::string_view method, const nlohmann::json& params) {
  nlohmann::json msg = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) msg["params"] = params;
  return msg.dump();
}

std::string make_notification(std::string_view method, const nlohmann::json& params) {
  nlohmann::json msg = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) msg["params"] = params;
  return msg.dump();
}

std::string make_result(const nlohmann::json& id, const nlohmann::json& result) {
  return nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}.dump();
}

std::string make_error(const nlohmann::json& id, int code, std::string_view message) {
  return nlohmann::json{{"jsonrpc", "2.0"},
                        {"id", id},
                        {"error", {{"code", code}, {"message", message}}}}
      .dump();
}

std::string error_text(const nlohmann::json& error) {
  if (error.is_object()) {
    std::string text = string_member(error, "message", "error");
    if (const auto code = error.find("code"); code != error.end() && code->is_number_integer()) {
      text += " (code " + std::to_string(code->get<long long>()) + ")";
    }
    return text;
  }
  return error.dump();
}

std::string tool_error_text(const nlohmann::json& result) {
  if (const auto content = result.find("content"); content != result.end() && content->is_array()) {
    for (const auto& item : *content) {
      if (item.is_object() && string_member(item, "type") == "text" && item.contains("text") &&
          item["text"].is_string()) {
        std::string text = item["text"].get<std::string>();
        if (text.size() > 200) text = text.substr(0, 200) + "...";
        return text;
      }
    }
  }
  return "tool reported isError";
}

}  // namespace mcpleak
