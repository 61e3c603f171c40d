// libFuzzer target: the scenario loader on arbitrary text, then the phase planner on
// whatever it accepts. Errors must be values, never exceptions or crashes.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "harness/runner/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A --var override, so ${var} substitution runs on both the file's and the CLI's values.
  const std::map<std::string, std::string> vars{{"app1", "Finder"}, {"x", "${x}"}};
  auto scenario = mcpleak::parse_scenario(text, "fuzz.json", vars);
  if (scenario) {
    (void)mcpleak::plan_phase_lengths(*scenario, 60.0);
    (void)mcpleak::plan_phase_lengths(*scenario, 0.0);
  } else {
    (void)scenario.error().describe();
  }
  return 0;
}
