// NOTE: libatspi is not thread-safe; every call here runs on the server thread, and pump()
// iterates the default GLib main context so D-Bus signals never pile up unread.
#include "reference/backend_atspi.h"

#include <atspi/atspi.h>
#include <cerrno>
#include <csignal>
#include <string>
#include <vector>

#include "reference/injection.h"
#include "reference/observer_cache.h"

namespace mcpleak::axref {
namespace {

struct GObjectUnref {
  void operator()(void* p) const noexcept { g_object_unref(p); }
};
template <class T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct GFree {
  void operator()(void* p) const noexcept { g_free(p); }
};
using GChars = std::unique_ptr<gchar, GFree>;

// Owns the GError a libatspi call may set; .msg() for logs, clears on destruction.
class GErr {
 public:
  GErr() = default;
  GErr(const GErr&) = delete;
  GErr& operator=(const GErr&) = delete;
  ~GErr() { clear(); }
  GError** out() {
    clear();
    return &e_;
  }
  explicit operator bool() const { return e_ != nullptr; }
  std::string msg() const { return e_ != nullptr ? e_->message : ""; }
  void clear() {
    if (e_ != nullptr) g_error_free(e_);
    e_ = nullptr;
  }

 private:
  GError* e_ = nullptr;
};

std::string take_string(gchar* s) {
  GChars owned(s);
  return owned ? std::string(owned.get()) : std::string();
}

// An AtspiAccessible reference counted as one held element; unref'd on destruction.
class AtspiElement final : public ElementRef {
 public:
  AtspiElement(Counters& c, AtspiAccessible* owned) : ElementRef(c), acc_(owned) {}
  AtspiAccessible* get() const { return acc_.get(); }

 private:
  GPtr<AtspiAccessible> acc_;
};

bool wants_bounds(const std::string& role) {
  return is_interactive_role(role) || role == "frame" || role == "window" || role == "dialog";
}

std::optional<Bounds> extents(AtspiAccessible* acc) {
  GPtr<AtspiComponent> component(atspi_accessible_get_component_iface(acc));
  if (!component) return std::nullopt;
  GErr err;
  std::unique_ptr<AtspiRect, GFree> r(
      atspi_component_get_extents(component.get(), ATSPI_COORD_TYPE_SCREEN, err.out()));
  // NOTE: GTK reports G_MININT coordinates for unmapped widgets (closed menus): unknown.
  if (err || !r || r->x == G_MININT || r->y == G_MININT) return std::nullopt;
  return Bounds{r->x, r->y, r->width, r->height};
}

// NOTE: libatspi cannot be initialised again after atspi_exit() in one process (its
// hash tables stay freed), so init happens once and exit runs at process exit, after
// every backend and injector has dropped its references.
class AtspiLibrary {
 public:
  static Result<void> ensure() {
    static AtspiLibrary library;
    if (library.rc_ != 0 && library.rc_ != 1) {
      return Error(Errc::io, "atspi_init failed (" + std::to_string(library.rc_) + ")");
    }
    return {};
  }
  AtspiLibrary(const AtspiLibrary&) = delete;
  AtspiLibrary& operator=(const AtspiLibrary&) = delete;

 private:
  AtspiLibrary() : rc_(atspi_init()) {}
  ~AtspiLibrary() {
    if (rc_ == 0) atspi_exit();
  }
  int rc_;
};

struct App {
  GPtr<AtspiAccessible> acc;
  AppInfo info;
};

class AtspiBackend final : public Backend {
 public:
  static constexpr std::size_t kObserverBytes = 4096;

  AtspiBackend(const BackendOptions& options, Counters& counters, Injector& injector)
      : options_(options), counters_(counters), injector_(injector),
        cache_(options.observer_cache_capacity) {}

  ~AtspiBackend() override {
    // Everything holding an AtspiAccessible goes before libatspi shuts down.
    injector_.release_elements();
    cache_.clear();
  }

  std::string_view name() const override { return "atspi"; }

  Result<void> check_bus() {
    GPtr<AtspiAccessible> desktop(atspi_get_desktop(0));
    if (!desktop) return Error(Errc::io, "no AT-SPI desktop");
    GErr err;
    atspi_accessible_get_child_count(desktop.get(), err.out());
    if (err) return Error(Errc::io, "AT-SPI bus unreachable: " + err.msg());
    return {};
  }

  Result<SnapshotResult> snapshot(bool use_vision) override {
    auto apps = list_apps();
    if (apps.empty()) return Error(Errc::io, "no application on the AT-SPI bus");
    const App* front = pick_frontmost(apps);
    if (front == nullptr) {
      return Error(Errc::io, "application '" + target_ + "' is no longer on the AT-SPI bus");
    }
    const pid_t pid = front->info.pid;
    cache_.get_or_attach(pid, [&] {
      return std::make_unique<Observer>(counters_, pid, kObserverBytes, &counters_.cache_bytes);
    });
    injector_.on_tree_read(pid);

    SnapshotResult result;
    std::vector<std::unique_ptr<ElementRef>> held;
    std::size_t visited = 0;
    g_object_ref(front->acc.get());
    result.state.root = walk(std::make_unique<AtspiElement>(counters_, front->acc.get()), 0,
                             visited, result.state.truncated, held);
    if (injector_.active(LeakClass::element_retain)) injector_.retain_elements(std::move(held));
    held.clear();
    result.state.frontmost = front->info;
    for (const auto& a : apps) result.state.open_apps.push_back(a.info);
    if (use_vision) result.note = "the AT-SPI backend does not capture the screen";
    return result;
  }

  Result<std::string> app(const AppRequest& request) override {
    auto apps = list_apps();
    const App* app = nullptr;
    const std::string& query = request.name.empty() ? target_ : request.name;
    for (const auto& a : apps) {
      if (app_name_matches(a.info.name, query)) {
        app = &a;
        break;
      }
    }
    if (request.mode == "switch" || request.mode == "launch") {
      if (app == nullptr) {
        return Error(Errc::io, "no application on the AT-SPI bus matches '" + request.name +
                                   "'" + (request.mode == "launch" ? " (start it first)" : ""));
      }
      target_ = app->info.name;
      const bool focused = focus_first_window(app->acc.get());
      return "Switched to " + app->info.name + (focused ? "." : " (focus not granted; it is the "
                                                                "Snapshot target).");
    }
    if (request.mode == "resize" || request.mode == "move") {
      if (app == nullptr) return Error(Errc::io, "no target application; use App switch first");
      const auto& v = request.mode == "resize" ? request.window_size : request.window_loc;
      if (!v) return Error(Errc::usage, request.mode == "resize" ? "window_size is required"
                                                                 : "window_loc is required");
      GPtr<AtspiAccessible> window(first_child(app->acc.get()));
      GPtr<AtspiComponent> component(window ? atspi_accessible_get_component_iface(window.get())
                                            : nullptr);
      if (!component) return Error(Errc::io, app->info.name + " has no window component");
      GErr err;
      const gboolean ok =
          request.mode == "resize"
              ? atspi_component_set_size(component.get(), (*v)[0], (*v)[1], err.out())
              : atspi_component_set_position(component.get(), (*v)[0], (*v)[1],
                                             ATSPI_COORD_TYPE_SCREEN, err.out());
      if (err || !ok) return Error(Errc::io, "the window refused: " + err.msg());
      return app->info.name + " window " + (request.mode == "resize" ? "resized." : "moved.");
    }
    return Error(Errc::usage, "mode must be launch, resize, move or switch");
  }

  void pump() override {
    for (int i = 0; i < 1000 && g_main_context_iteration(nullptr, FALSE); ++i) {
    }
    cache_.erase_dead([](pid_t pid) { return pid <= 0 || ::kill(pid, 0) == 0 || errno == EPERM; });
  }

 private:
  std::vector<App> list_apps() {
    std::vector<App> apps;
    GPtr<AtspiAccessible> desktop(atspi_get_desktop(0));
    if (!desktop) return apps;
    GErr err;
    const gint n = atspi_accessible_get_child_count(desktop.get(), err.out());
    for (gint i = 0; i < n; ++i) {
      GPtr<AtspiAccessible> acc(atspi_accessible_get_child_at_index(desktop.get(), i, err.out()));
      if (!acc || err) continue;
      App a;
      a.info.name = take_string(atspi_accessible_get_name(acc.get(), err.out()));
      a.info.pid = static_cast<int>(atspi_accessible_get_process_id(acc.get(), err.out()));
      a.acc = std::move(acc);
      apps.push_back(std::move(a));
    }
    return apps;
  }

  static AtspiAccessible* first_child(AtspiAccessible* acc) {
    GErr err;
    if (atspi_accessible_get_child_count(acc, err.out()) <= 0) return nullptr;
    return atspi_accessible_get_child_at_index(acc, 0, err.out());
  }

  static bool has_active_window(AtspiAccessible* app) {
    GErr err;
    const gint n = atspi_accessible_get_child_count(app, err.out());
    for (gint i = 0; i < n; ++i) {
      GPtr<AtspiAccessible> w(atspi_accessible_get_child_at_index(app, i, err.out()));
      if (!w) continue;
      GPtr<AtspiStateSet> states(atspi_accessible_get_state_set(w.get()));
      if (states && atspi_state_set_contains(states.get(), ATSPI_STATE_ACTIVE)) return true;
    }
    return false;
  }

  static bool focus_first_window(AtspiAccessible* app) {
    GPtr<AtspiAccessible> window(first_child(app));
    if (!window) return false;
    GPtr<AtspiComponent> component(atspi_accessible_get_component_iface(window.get()));
    if (!component) return false;
    GErr err;
    return atspi_component_grab_focus(component.get(), err.out()) && !err;
  }

  // The App-switch target when set; else the app with an active window; else the last
  // app that has a window (the most recently started).
  const App* pick_frontmost(const std::vector<App>& apps) const {
    if (!target_.empty()) {
      for (const auto& a : apps) {
        if (a.info.name == target_) return &a;
      }
      return nullptr;
    }
    const App* fallback = nullptr;
    for (const auto& a : apps) {
      if (has_active_window(a.acc.get())) return &a;
      GErr err;
      if (atspi_accessible_get_child_count(a.acc.get(), err.out()) > 0) fallback = &a;
    }
    return fallback;
  }

  AxNode walk(std::unique_ptr<AtspiElement> element, int depth, std::size_t& visited,
              bool& truncated, std::vector<std::unique_ptr<ElementRef>>& held) {
    AtspiAccessible* acc = element->get();
    ++visited;
    GErr err;
    AxNode node;
    node.role = take_string(atspi_accessible_get_role_name(acc, err.out()));
    node.name = take_string(atspi_accessible_get_name(acc, err.out()));
    if (wants_bounds(node.role)) node.bounds = extents(acc);
    const gint n = atspi_accessible_get_child_count(acc, err.out());
    if (n > 0 && depth + 1 >= options_.max_depth) truncated = true;
    for (gint i = 0; i < n && depth + 1 < options_.max_depth; ++i) {
      if (visited >= options_.max_nodes) {
        truncated = true;
        break;
      }
      AtspiAccessible* child = atspi_accessible_get_child_at_index(acc, i, err.out());
      if (child == nullptr) continue;  // defunct or gone meanwhile
      node.children.push_back(walk(std::make_unique<AtspiElement>(counters_, child), depth + 1,
                                   visited, truncated, held));
    }
    if (injector_.active(LeakClass::element_retain)) held.push_back(std::move(element));
    return node;  // the fixed lifecycle: `element` is unref'd here
  }

  BackendOptions options_;
  Counters& counters_;
  Injector& injector_;
  ObserverCache cache_;
  std::string target_;  // App switch's choice; empty = guess the frontmost
};

}  // namespace

Result<std::unique_ptr<Backend>> make_atspi_backend(const BackendOptions& options,
                                                    Counters& counters, Injector& injector) {
  if (auto ok = AtspiLibrary::ensure(); !ok) return ok.error();
  auto backend = std::make_unique<AtspiBackend>(options, counters, injector);
  if (auto ok = backend->check_bus(); !ok) return ok.error();
  return std::unique_ptr<Backend>(std::move(backend));
}

}  // namespace mcpleak::axref
