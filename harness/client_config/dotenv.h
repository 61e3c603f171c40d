// dotenv files (VS Code's and Cursor's "envFile") turned into KEY=VALUE pairs.
// Pure: the caller reads the file (VarContext::read_env_file) and hands over its text.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/result.h"

namespace mcpleak {

// One pair per "KEY=VALUE" line, in file order (a later duplicate wins when the caller
// builds a map). Understood: blank lines, '#' comment lines, an "export " prefix, a
// " #" comment after an unquoted value, 'single-quoted' values (literal) and
// "double-quoted" values (\n, \t, \", \\ escapes). A non-blank line without '=' or with an
// unterminated quote is Errc::usage naming the line number, never the line's content
// (it may hold a secret).
Result<std::vector<std::pair<std::string, std::string>>> parse_dotenv(std::string_view text);

}  // namespace mcpleak
