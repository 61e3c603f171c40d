// The synthetic backend: a deterministic fake desktop (Finder, Safari) whose trees come
// from generate_synthetic_tree, with the lifecycle a correct AX server has: one observer
// per app in a bounded per-pid cache, element references released after every walk.
#pragma once

#include <vector>

#include "reference/backend.h"
#include "reference/observer_cache.h"

namespace mcpleak::axref {

class SyntheticBackend final : public Backend {
 public:
  // Bytes each cached observer holds (its touched buffer, counted in cache_bytes).
  static constexpr std::size_t kObserverBytes = 4096;

  SyntheticBackend(const BackendOptions& options, Counters& counters, Injector& injector);
  ~SyntheticBackend() override;

  std::string_view name() const override { return "synthetic"; }
  Result<SnapshotResult> snapshot(bool use_vision) override;
  Result<std::string> app(const AppRequest& request) override;

  // Simulates the exit of an app's process: its observer must be released.
  bool quit_app(const std::string& name);
  const ObserverCache& observers() const { return cache_; }

 private:
  struct App {
    AppInfo info;
    Bounds window{40, 40, 1200, 760};
  };
  App* find_app(const std::string& query);

  BackendOptions options_;
  Counters& counters_;
  Injector& injector_;
  ObserverCache cache_;
  std::vector<App> apps_;
  std::size_t frontmost_ = 0;
  int next_pid_ = 1001;
};

}  // namespace mcpleak::axref
