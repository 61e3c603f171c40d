// harness/install: where `--scenario NAME` looks. An installed binary finds its share
// folder beside it and never the source tree it was built from; a binary in its build
// folder also reads the source tree's scenarios (ci/demo, the tests).
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/install/own_executable.h"
#include "harness/install/share_dirs.h"
#include "tests/support/catch.h"

namespace fs = std::filesystem;
using mcpleak::ShareLocations;
using mcpleak::scenario_search_dirs;

TEST_CASE("share dirs: an installed binary looks in PREFIX/share/mcpleak only", "[install]") {
  ShareLocations where;
  where.executable = fs::path("/opt/mcpleak/bin/mcpleak");
  where.build_dir = "/home/dev/mcpleak/build";
  where.source_scenarios = "/home/dev/mcpleak/scenarios";
  CHECK(scenario_search_dirs(where) == std::vector<std::string>{"/opt/mcpleak/share/mcpleak/scenarios"});
}

TEST_CASE("share dirs: a binary inside its build folder also reads the source tree", "[install]") {
  const fs::path build = fs::temp_directory_path() / "mcpleak-share-dirs-test" / "build";
  fs::create_directories(build / "harness" / "cli");
  ShareLocations where;
  where.executable = build / "harness" / "cli" / "mcpleak";
  where.build_dir = build;
  where.source_scenarios = "/src/scenarios";
  const auto dirs = scenario_search_dirs(where);
  REQUIRE(dirs.size() == 2);
  CHECK(dirs[1] == "/src/scenarios");
  // A sibling whose name only starts like the build folder is not inside it.
  where.executable = build.parent_path() / "build-other" / "bin" / "mcpleak";
  CHECK(scenario_search_dirs(where).size() == 1);
  // The build folder reached through a symlink still counts.
  const fs::path link = build.parent_path() / "build-link";
  fs::remove(link);
  fs::create_directory_symlink(build, link);
  where.executable = build / "harness" / "cli" / "mcpleak";
  where.build_dir = link;
  CHECK(scenario_search_dirs(where).size() == 2);
  fs::remove_all(build.parent_path());
}

TEST_CASE("share dirs: $MCPLEAK_SCENARIOS comes first, empty entries skipped", "[install]") {
  ShareLocations where;
  where.scenarios_env = "/a::/b:";
  where.executable = fs::path("/usr/bin/mcpleak");
  CHECK(scenario_search_dirs(where) == std::vector<std::string>{"/a", "/b", "/usr/share/mcpleak/scenarios"});
}

TEST_CASE("share dirs: the running test binary knows its own path", "[install]") {
  const auto self = mcpleak::own_executable();
  REQUIRE(self.has_value());
  CHECK(self->is_absolute());
  CHECK(fs::exists(*self));
  CHECK(self->filename() == "unit_driver");
}
