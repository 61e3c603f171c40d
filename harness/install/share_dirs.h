// Where `--scenario NAME` looks, in order: $MCPLEAK_SCENARIOS (colon-separated), the
// installed share folder beside the binary (PREFIX/bin/mcpleak ->
// PREFIX/share/mcpleak/scenarios), and - only for a binary that runs from its own build
// folder - the source tree it was built from. An installed mcpleak never reads the
// source tree: a deleted or moved checkout must not change which scenario it runs.
// Pure: the caller passes what it read from the environment and the system.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mcpleak {

struct ShareLocations {
  const char* scenarios_env = nullptr;             // $MCPLEAK_SCENARIOS, or null
  std::optional<std::filesystem::path> executable;  // own_executable()
  std::filesystem::path build_dir;                  // the build folder this binary came from
  std::filesystem::path source_scenarios;           // that build's source tree's scenarios/
};

std::vector<std::string> scenario_search_dirs(const ShareLocations& where);

// PREFIX/share/mcpleak for an executable at PREFIX/bin/NAME.
std::filesystem::path installed_share_dir(const std::filesystem::path& executable);

}  // namespace mcpleak
