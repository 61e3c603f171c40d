#include "harness/client_config/jsonc.h"

#include <string>

namespace mcpleak {
namespace {

using nlohmann::json;

// Blanks every ',' whose next significant character is ']' or '}', skipping strings and
// comments. Blanking (not erasing) keeps byte offsets, so error positions stay right.
// NOTE: nlohmann/json only accepts trailing commas from 3.12 (ignore_trailing_commas);
// Debian 12 ships 3.11.
std::string blank_trailing_commas(std::string_view text) {
  std::string out(text);
  enum class State { code, string, line_comment, block_comment };
  State state = State::code;
  std::size_t pending_comma = std::string::npos;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    const char next = i + 1 < out.size() ? out[i + 1] : '\0';
    switch (state) {
      case State::string:
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          state = State::code;
        }
        break;
      case State::line_comment:
        if (c == '\n') state = State::code;
        break;
      case State::block_comment:
        if (c == '*' && next == '/') {
          state = State::code;
          ++i;
        }
        break;
      case State::code:
        if (c == '/' && next == '/') {
          state = State::line_comment;
          ++i;
        } else if (c == '/' && next == '*') {
          state = State::block_comment;
          ++i;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          // whitespace keeps a pending comma pending
        } else {
          if ((c == ']' || c == '}') && pending_comma != std::string::npos) out[pending_comma] = ' ';
          pending_comma = std::string::npos;
          if (c == ',') pending_comma = i;
          if (c == '"') state = State::string;
        }
        break;
    }
  }
  return out;
}

// nlohmann's what(): "[json.exception.parse_error.101] parse error at line 3, column 5:
// syntax error while parsing value - invalid literal; last read: 'tru'". Keeps the part
// after the position and drops "last read", which quotes the file.
std::string describe_parse_error(const std::string& what) {
  std::string detail = what;
  if (const auto colon = detail.find(": ", detail.find("parse error")); colon != std::string::npos) {
    detail = detail.substr(colon + 2);
  }
  if (const auto last = detail.find("; last read:"); last != std::string::npos) detail.resize(last);
  return detail;
}

}  // namespace

Result<json> parse_jsonc(std::string_view text) {
  const std::string cleaned = blank_trailing_commas(text);
  try {
    return json::parse(cleaned, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    const std::size_t at = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, cleaned.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (cleaned[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return Error(Errc::usage, "not valid JSON at line " + std::to_string(line) + ", column " +
                                  std::to_string(column) + ": " + describe_parse_error(e.what()));
  } catch (const json::exception& e) {
    // A number too large for a double is out_of_range (406), not parse_error; its what()
    // quotes the number, so it is not repeated here.
    return Error(Errc::usage, e.id == 406 ? "not valid JSON: a number is too large"
                                          : "not valid JSON: " + std::to_string(e.id));
  }
}

}  // namespace mcpleak
