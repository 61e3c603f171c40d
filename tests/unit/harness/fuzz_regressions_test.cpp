// Inputs that crashed a libFuzzer target (tests/fuzz/regressions/<target>/), replayed
// through the same entry point so the crash stays fixed. ci/fuzz finds new ones.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "harness/runner/scenario.h"
#include "tests/support/catch.h"

namespace {

const std::filesystem::path kRegressions =
    std::filesystem::path(MCPLEAK_SOURCE_DIR) / "tests" / "fuzz" / "regressions";

std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::filesystem::path> inputs(const std::string& target) {
  std::vector<std::filesystem::path> out;
  const auto dir = kRegressions / target;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  return out;
}

}  // namespace

TEST_CASE("every saved fuzz_scenario crash input is loaded without throwing", "[runner][fuzz]") {
  const auto files = inputs("fuzz_scenario");
  REQUIRE_FALSE(files.empty());
  for (const auto& f : files) {
    INFO(f.string());
    const std::string text = read_bytes(f);
    CHECK_NOTHROW((void)mcpleak::parse_scenario(text, f.string(), {}));
  }
}

TEST_CASE("a scenario with a number too large for a double is a usage error, not a crash",
          "[runner][fuzz]") {
  // Found by fuzz_scenario: the invalid document's re-parse (for the error position)
  // threw json::out_of_range (406), which only parse_error was caught for.
  const auto text = read_bytes(kRegressions / "fuzz_scenario" / "number-overflow-crash-c59f5d3a");
  REQUIRE_FALSE(text.empty());
  auto s = mcpleak::parse_scenario(text, "fuzz.json", {});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == mcpleak::Errc::usage);
  CHECK(s.error().message.find("number overflow") != std::string::npos);
  CHECK(s.error().describe().find("fuzz.json") != std::string::npos);
}

TEST_CASE("a scenario whose description is not a string is a usage error, not a crash", "[runner][fuzz]") {
  // Found by fuzz_scenario in ci/test's 3 s pass: json::value() threw type_error (302).
  const auto text = read_bytes(kRegressions / "fuzz_scenario" / "description-object-crash-dc9e3d48");
  REQUIRE_FALSE(text.empty());
  auto s = mcpleak::parse_scenario(text, "fuzz.json", {});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == mcpleak::Errc::usage);
  CHECK(s.error().describe().find("$.description") != std::string::npos);
  CHECK(s.error().describe().find("expected a string") != std::string::npos);
}
