// JSON as editors write it: // and /* */ comments and trailing commas (Zed's settings.json,
// VS Code's mcp.json) parsed into nlohmann::json. Pure: text in, JSON or an error out.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/result.h"

namespace mcpleak {

// Parses `text`, allowing comments and a comma before a closing ']' or '}'.
// A malformed document is Errc::usage "not valid JSON at line L, column C: <what>".
// The message never quotes the file's content (it may hold a token).
Result<nlohmann::json> parse_jsonc(std::string_view text);

}  // namespace mcpleak
