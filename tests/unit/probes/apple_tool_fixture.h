// Reads a fixture of an Apple tool's text output (footprint, vmmap, sample) from
// tests/fixtures/<tool>/; an unreadable fixture fails the test instead of parsing "".
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/catch.h"

namespace mcpleak::test {

inline std::string read_tool_fixture(const std::string& relative) {
  const std::string path = std::string(MCPLEAK_FIXTURES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE_FALSE(text.str().empty());
  return text.str();
}

}  // namespace mcpleak::test
