#include "harness/attribution/hook_folder.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/mcp/json_members.h"
#include "probes/hooks/hook_sources.h"

namespace mcpleak {
namespace {

namespace fs = std::filesystem;

Result<void> write_atomically(const fs::path& path, std::string_view text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    if (!out.flush()) return Error(Errc::io, std::string("cannot write: ") + std::strerror(errno)).with(temporary);
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return Error(Errc::io, "cannot rename: " + ec.message()).with(path.string());
  return {};
}

std::optional<nlohmann::json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

pid_t pid_member(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<pid_t>() : 0;
}

// "A:B" when both are set, else whichever is.
std::string prepend(const std::string& ours, const char* variable, char separator) {
  const char* theirs = std::getenv(variable);
  if (!theirs || !*theirs) return ours;
  return ours + separator + theirs;
}

}  // namespace

Result<HookFolder> HookFolder::create(AttributeMode mode) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mcpleak-hooks-XXXXXX";
  if (!::mkdtemp(pattern.data())) {  // mkdtemp makes it 0700
    return Error(Errc::io, std::string("cannot create the hook folder: ") + std::strerror(errno)).with(pattern);
  }
  HookFolder folder(pattern, mode);
  const fs::path root(pattern);
  std::error_code ec;
  fs::create_directory(root / "python", ec);
  fs::create_directory(root / "node", ec);
  if (ec) return Error(Errc::io, "cannot create the hook folder: " + ec.message()).with(pattern);
  if (auto w = write_atomically(root / "python" / "sitecustomize.py", python_hook_source()); !w) return w.error();
  if (auto w = write_atomically(root / "node" / "mcpleak_hook.cjs", node_hook_source()); !w) return w.error();
  return folder;
}

HookFolder::~HookFolder() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::map<std::string, std::string> HookFolder::environment() const {
  std::map<std::string, std::string> env{{"MCPLEAK_HOOK_DIR", path_}};
  if (hooks_python(mode_)) env["PYTHONPATH"] = prepend(path_ + "/python", "PYTHONPATH", ':');
  // NODE_OPTIONS takes double quotes around a path with spaces.
  if (hooks_node(mode_)) {
    env["NODE_OPTIONS"] = prepend("--require \"" + path_ + "/node/mcpleak_hook.cjs\"", "NODE_OPTIONS", ' ');
  }
  return env;
}

std::vector<HookHello> HookFolder::hellos() const {
  std::vector<HookHello> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(path_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("hello.", 0) != 0 || entry.path().extension() != ".json") continue;
    const auto j = read_json(entry.path());
    if (!j || !j->is_object()) continue;
    HookHello h;
    h.pid = pid_member(*j, "pid");
    h.ppid = pid_member(*j, "ppid");
    h.runtime = string_member(*j, "runtime");
    h.version = string_member(*j, "version");
    if (h.pid > 0) found.push_back(std::move(h));
  }
  std::sort(found.begin(), found.end(), [](const HookHello& a, const HookHello& b) { return a.pid < b.pid; });
  return found;
}

Result<void> HookFolder::send(pid_t pid, const nlohmann::json& command) const {
  return write_atomically(fs::path(path_) / ("cmd." + std::to_string(pid) + ".json"), command.dump());
}

std::optional<nlohmann::json> HookFolder::answer(pid_t pid, int seq) const {
  return read_json(fs::path(path_) / ("ans." + std::to_string(pid) + "." + std::to_string(seq) + ".json"));
}

}  // namespace mcpleak
