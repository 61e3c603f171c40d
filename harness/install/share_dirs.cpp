#include "harness/install/share_dirs.h"

#include <algorithm>
#include <sstream>

namespace mcpleak {
namespace {

namespace fs = std::filesystem;

// Whether `path` is `folder` or inside it, compared component by component after
// resolving what exists (a build folder reached through a symlink still counts).
bool is_inside(const fs::path& path, const fs::path& folder) {
  if (folder.empty()) return false;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path f = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  auto pi = p.begin();
  for (const auto& part : f) {
    if (part.empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != part) return false;
    ++pi;
  }
  return true;
}

}  // namespace

fs::path installed_share_dir(const fs::path& executable) {
  return executable.parent_path().parent_path() / "share" / "mcpleak";
}

std::vector<std::string> scenario_search_dirs(const ShareLocations& where) {
  std::vector<std::string> dirs;
  if (where.scenarios_env) {
    std::stringstream list(where.scenarios_env);
    for (std::string d; std::getline(list, d, ':');) {
      if (!d.empty()) dirs.push_back(d);
    }
  }
  if (where.executable) {
    dirs.push_back((installed_share_dir(*where.executable) / "scenarios").string());
    if (!where.source_scenarios.empty() && is_inside(*where.executable, where.build_dir)) {
      dirs.push_back(where.source_scenarios.string());
    }
  }
  return dirs;
}

}  // namespace mcpleak
