// Where `mcpleak watch` keeps its run folders when --out is not given: the user's state
// folder (a client starts the server from a working folder nobody looks in), one folder per
// server start, named so that a listing sorts by time and says which server it was.
#pragma once

#include <string>
#include <vector>

namespace mcpleak {

// Linux: $XDG_STATE_HOME/mcpleak/watch, else ~/.local/state/mcpleak/watch; macOS:
// ~/Library/Logs/mcpleak/watch. Without a home folder: ./mcpleak-watch.
std::string watch_base_dir();

// "20261203-171500-macos-mcp-4312": time, server name, mcpleak's pid.
std::string watch_folder_name(const std::vector<std::string>& server_command);

// The name a server goes by in its command: the program's base name, or for a launcher
// (uvx, npx, node, python, uv run, ...) the first argument after it that is not a flag.
std::string server_short_name(const std::vector<std::string>& server_command);

}  // namespace mcpleak
