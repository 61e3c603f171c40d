// The accessibility backend behind the tools: what a Snapshot walks and what App acts on.
// Backends: synthetic (everywhere), atspi (Linux, libatspi), macos (AXUIElement).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/result.h"
#include "reference/ax_tree.h"
#include "reference/counters.h"

namespace mcpleak::axref {

class Injector;

struct AppRequest {
  std::string mode = "launch";  // launch | resize | move | switch
  std::string name;             // may be empty for resize/move (= the frontmost app)
  std::optional<std::array<int, 2>> window_loc;
  std::optional<std::array<int, 2>> window_size;
};

struct SnapshotResult {
  DesktopState state;
  std::vector<std::uint8_t> png;  // empty when no screenshot was made
  std::string note;               // e.g. why there is no screenshot
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  // Walks the frontmost application. Element references are released before returning
  // (unless element-retain is injected). A backend failure is an Error, not a crash.
  virtual Result<SnapshotResult> snapshot(bool use_vision) = 0;
  // Returns the one-line text the App tool answers with.
  virtual Result<std::string> app(const AppRequest& request) = 0;
  // Called on the server thread about every 100 ms and between Wait slices: deliver
  // pending events, notice exited pids, retry what is due. Never blocks long.
  virtual void pump() {}
};

struct BackendOptions {
  std::string kind = "synthetic";
  std::size_t tree_nodes = 600;           // synthetic: nodes per app tree
  std::uint64_t seed = 1;                 // synthetic: generator seed
  std::size_t max_nodes = 5000;           // atspi / macos: walk cap
  int max_depth = 64;                     // atspi / macos: walk cap
  std::size_t observer_cache_capacity = 8;
};

// Errc::usage for an unknown or not-built backend; Errc::io when it cannot start
// (no AT-SPI bus, no accessibility permission).
Result<std::unique_ptr<Backend>> make_backend(const BackendOptions& options, Counters& counters,
                                              Injector& injector);

// Case-insensitive substring match, how App {name} finds an application.
bool app_name_matches(std::string_view app_name, std::string_view query);

}  // namespace mcpleak::axref
