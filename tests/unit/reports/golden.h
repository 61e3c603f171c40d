// Golden-file comparison for the text report formats. A mismatch writes the actual
// output next to the build and names both files so `diff -u` shows the change;
// MCPLEAK_UPDATE_GOLDEN=1 rewrites the golden file instead (review the diff, then commit).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/catch.h"

namespace mcpleak::test {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Compares `actual` with tests/fixtures/reports/golden/<name>.
inline void check_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path golden =
      std::filesystem::path(MCPLEAK_FIXTURES_DIR) / "reports" / "golden" / name;
  const char* update = std::getenv("MCPLEAK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_text(golden, actual);
    WARN("rewrote golden file " << golden.string());
    return;
  }
  const std::filesystem::path out =
      std::filesystem::path(MCPLEAK_BINARY_DIR) / "tests" / "unit" / "reports" / "actual" / name;
  write_text(out, actual);
  REQUIRE(std::filesystem::exists(golden));
  const bool same = read_text(golden) == actual;
  if (!same) {
    FAIL_CHECK("golden mismatch: diff -u " << golden.string() << " " << out.string()
               << "\n(rerun with MCPLEAK_UPDATE_GOLDEN=1 to accept the new output)");
  }
  CHECK(same);
}

}  // namespace mcpleak::test
