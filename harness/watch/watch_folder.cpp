#include "harness/watch/watch_folder.h"

#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "harness/runner/run_dir.h"

namespace mcpleak {
namespace {

std::string base_name(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  std::string clean;
  for (char c : name) clean += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '-';
  return clean;
}

bool is_launcher(const std::string& program) {
  static const std::array<const char*, 16> launchers = {"uvx", "uv", "npx", "node", "python", "python3", "bunx", "bun",
                                                        "deno", "pipx", "sh", "bash", "env", "docker", "pnpm", "yarn"};
  for (const char* l : launchers) {
    if (program == l) return true;
  }
  return false;
}

}  // namespace

std::string watch_base_dir() {
  namespace fs = std::filesystem;
  const char* home = std::getenv("HOME");
#ifdef __APPLE__
  if (home && *home) return (fs::path(home) / "Library/Logs/mcpleak/watch").string();
#else
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/') {
    return (fs::path(state) / "mcpleak/watch").string();
  }
  if (home && *home) return (fs::path(home) / ".local/state/mcpleak/watch").string();
#endif
  return "mcpleak-watch";
}

std::string server_short_name(const std::vector<std::string>& command) {
  if (command.empty()) return "server";
  const std::string program = base_name(command.front());
  if (!is_launcher(program)) return program;
  for (std::size_t i = 1; i < command.size(); ++i) {
    const std::string& arg = command[i];
    if (arg.empty() || arg.front() == '-' || arg == "run" || arg == "exec" || arg == "x") continue;
    return base_name(arg);
  }
  return program;
}

std::string watch_folder_name(const std::vector<std::string>& command) {
  return local_time_text("%Y%m%d-%H%M%S") + "-" + server_short_name(command) + "-" + std::to_string(::getpid());
}

}  // namespace mcpleak
