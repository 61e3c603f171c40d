// Where the running mcpleak binary is, symlinks resolved: its share folder is found
// beside it (PREFIX/bin/mcpleak -> PREFIX/share/mcpleak). Linux reads /proc/self/exe;
// macOS has no /proc and asks dyld (_NSGetExecutablePath), whose answer may be the
// symlink Homebrew puts in its bin/, so it is resolved with realpath.
#pragma once

#include <filesystem>
#include <optional>

namespace mcpleak {

std::optional<std::filesystem::path> own_executable();

}  // namespace mcpleak
