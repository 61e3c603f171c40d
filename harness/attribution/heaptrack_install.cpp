#include "harness/attribution/heaptrack_install.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

namespace mcpleak {
namespace {

namespace fs = std::filesystem;

bool executable(const fs::path& p) { return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p); }

// Folders that may hold lib/heaptrack: the prefix of a `heaptrack` on PATH first.
std::vector<fs::path> candidate_lib_dirs() {
  std::vector<fs::path> dirs;
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const fs::path dir(std::string(rest.substr(0, colon)));
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    std::error_code ec;
    if (dir.empty() || !executable(dir / "heaptrack")) continue;
    dirs.push_back(fs::weakly_canonical(dir / ".." / "lib" / "heaptrack", ec));
  }
  dirs.emplace_back("/usr/lib/heaptrack");
  dirs.emplace_back("/usr/local/lib/heaptrack");
  return dirs;
}

}  // namespace

Result<HeaptrackInstall> find_heaptrack() {
  for (const auto& dir : candidate_lib_dirs()) {
    std::error_code ec;
    const fs::path preload = dir / "libheaptrack_preload.so", interpreter = dir / "libexec" / "heaptrack_interpret";
    if (fs::is_regular_file(preload, ec) && executable(interpreter)) {
      return HeaptrackInstall{preload.string(), interpreter.string()};
    }
  }
  return Error(Errc::usage,
               "--attribute native needs heaptrack (libheaptrack_preload.so and heaptrack_interpret), found in "
               "neither ../lib/heaptrack beside a `heaptrack` on PATH nor /usr/lib/heaptrack: install it "
               "(Debian/Ubuntu: apt install heaptrack)");
}

}  // namespace mcpleak
