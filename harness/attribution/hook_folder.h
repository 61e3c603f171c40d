// The private folder (mode 0700, under $TMPDIR) through which the runtime hooks and
// mcpleak talk: it holds the hooks themselves (python/sitecustomize.py,
// node/mcpleak_hook.cjs), each hooked process's hello.PID.json, the commands mcpleak
// writes (cmd.PID.json) and the answers (ans.PID.SEQ.json). Every file is written under
// a temporary name and renamed, so a reader never sees half of one. Removed with its
// contents when the HookFolder goes.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/attribution/attribute_mode.h"
#include "harness/result.h"

namespace mcpleak {

// What a process that loaded a hook said about itself.
struct HookHello {
  pid_t pid = 0;
  pid_t ppid = 0;
  std::string runtime;  // "python" | "node"
  std::string version;
};

class HookFolder {
 public:
  // Errc::io when the folder or a hook cannot be written.
  static Result<HookFolder> create(AttributeMode mode);
  HookFolder(HookFolder&& other) noexcept : path_(std::move(other.path_)), mode_(other.mode_) { other.path_.clear(); }
  HookFolder& operator=(HookFolder&&) = delete;
  HookFolder(const HookFolder&) = delete;
  ~HookFolder();

  const std::string& path() const { return path_; }
  // The variables the server must start with (prepended to any the user set):
  // MCPLEAK_HOOK_DIR, and PYTHONPATH and/or NODE_OPTIONS as the mode asks.
  std::map<std::string, std::string> environment() const;

  // Every hello written so far, in pid order; unreadable ones are skipped.
  std::vector<HookHello> hellos() const;
  Result<void> send(pid_t pid, const nlohmann::json& command) const;
  // The answer to command `seq`, once the hook has renamed it into place.
  std::optional<nlohmann::json> answer(pid_t pid, int seq) const;

 private:
  HookFolder(std::string path, AttributeMode mode) : path_(std::move(path)), mode_(mode) {}
  std::string path_;
  AttributeMode mode_;
};

}  // namespace mcpleak
