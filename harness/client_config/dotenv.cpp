#include "harness/client_config/dotenv.h"

namespace mcpleak {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

Error bad_line(std::size_t line_no, const std::string& what) {
  return Error(Errc::usage, "envFile line " + std::to_string(line_no) + ": " + what);
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> parse_dotenv(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = std::min(text.find('\n', pos), text.size());
    std::string_view line = trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return bad_line(line_no, "expected KEY=VALUE");
    const std::string key(trim(line.substr(0, eq)));
    if (key.empty()) return bad_line(line_no, "expected a name before '='");
    std::string_view raw = trim(line.substr(eq + 1));
    std::string value;
    if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
      const char quote = raw.front();
      std::size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
          const char e = raw[++i];
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        } else {
          value += c;
        }
      }
      if (!closed) return bad_line(line_no, std::string("unterminated ") + quote + " quote");
    } else {
      // An unquoted value ends at " #" (a comment); a '#' inside it ("a#b") is kept.
      const auto hash = raw.find(" #");
      value = std::string(trim(hash == std::string_view::npos ? raw : raw.substr(0, hash)));
    }
    out.emplace_back(key, std::move(value));
  }
  return out;
}

}  // namespace mcpleak
