#include "reference/backend_synthetic.h"

#include <utility>

#include "reference/injection.h"
#include "reference/png_encode.h"
#include "reference/synthetic_tree.h"

namespace mcpleak::axref {
namespace {

// An element reference of the fake desktop: holds copies of the attributes it was read
// for, as an AXUIElementRef's attribute cache would.
class SyntheticElement final : public ElementRef {
 public:
  SyntheticElement(Counters& c, const AxNode& node)
      : ElementRef(c), role_(node.role), name_(node.name), bounds_(node.bounds) {}
  AxNode read() const { return AxNode{role_, name_, bounds_, {}}; }

 private:
  std::string role_, name_;
  std::optional<Bounds> bounds_;
};

AxNode walk(const AxNode& model, Counters& counters,
            std::vector<std::unique_ptr<ElementRef>>& held) {
  auto element = std::make_unique<SyntheticElement>(counters, model);
  AxNode out = element->read();
  held.push_back(std::move(element));
  out.children.reserve(model.children.size());
  for (const auto& child : model.children) out.children.push_back(walk(child, counters, held));
  return out;
}

std::vector<std::uint8_t> synthetic_screenshot(const AppInfo& app) {
  constexpr std::uint32_t kWidth = 64, kHeight = 40;
  std::vector<std::uint8_t> rgb(std::size_t{kWidth} * kHeight * 3);
  const auto tint = static_cast<std::uint8_t>(app.pid * 37);
  for (std::uint32_t y = 0; y < kHeight; ++y) {
    for (std::uint32_t x = 0; x < kWidth; ++x) {
      auto* px = &rgb[(std::size_t{y} * kWidth + x) * 3];
      px[0] = static_cast<std::uint8_t>(x * 4);
      px[1] = static_cast<std::uint8_t>(y * 6);
      px[2] = tint;
    }
  }
  return encode_png_rgb(kWidth, kHeight, rgb);
}

}  // namespace

SyntheticBackend::SyntheticBackend(const BackendOptions& options, Counters& counters,
                                   Injector& injector)
    : options_(options), counters_(counters), injector_(injector),
      cache_(options.observer_cache_capacity) {
  for (const char* name : {"Finder", "Safari"}) apps_.push_back(App{AppInfo{name, next_pid_++}});
}

SyntheticBackend::~SyntheticBackend() { cache_.clear(); }

SyntheticBackend::App* SyntheticBackend::find_app(const std::string& query) {
  for (auto& a : apps_) {
    if (app_name_matches(a.info.name, query)) return &a;
  }
  return nullptr;
}

Result<SnapshotResult> SyntheticBackend::snapshot(bool use_vision) {
  if (apps_.empty()) return Error(Errc::io, "no application is running");
  const App& front = apps_[frontmost_];
  const pid_t pid = front.info.pid;
  cache_.get_or_attach(pid, [&] {
    return std::make_unique<Observer>(counters_, pid, kObserverBytes, &counters_.cache_bytes);
  });
  injector_.on_tree_read(pid);

  AxNode model = generate_synthetic_tree(front.info.name, options_.seed, options_.tree_nodes);
  if (!model.children.empty()) model.children.front().bounds = front.window;
  SnapshotResult result;
  std::vector<std::unique_ptr<ElementRef>> held;
  held.reserve(options_.tree_nodes);
  result.state.root = walk(model, counters_, held);
  if (injector_.active(LeakClass::element_retain)) {
    injector_.retain_elements(std::move(held));
  }
  held.clear();  // the fixed lifecycle: every reference released after the walk

  result.state.frontmost = front.info;
  for (const auto& a : apps_) result.state.open_apps.push_back(a.info);
  if (use_vision) result.png = synthetic_screenshot(front.info);
  return result;
}

Result<std::string> SyntheticBackend::app(const AppRequest& request) {
  if (request.mode == "launch" || request.mode == "switch") {
    if (request.name.empty()) return Error(Errc::usage, "name is required for " + request.mode);
    App* a = find_app(request.name);
    if (a == nullptr) {
      if (request.mode == "switch") {
        return Error(Errc::io, "no running application matches '" + request.name + "'");
      }
      apps_.push_back(App{AppInfo{request.name, next_pid_++}});
      a = &apps_.back();
    }
    frontmost_ = static_cast<std::size_t>(a - apps_.data());
    return std::string(request.mode == "launch" ? "Launched " : "Switched to ") + a->info.name +
           ".";
  }
  if (request.mode == "resize" || request.mode == "move") {
    App* a = request.name.empty() ? &apps_[frontmost_] : find_app(request.name);
    if (a == nullptr) return Error(Errc::io, "no running application matches '" + request.name + "'");
    const auto& v = request.mode == "resize" ? request.window_size : request.window_loc;
    if (!v) {
      return Error(Errc::usage, request.mode == "resize" ? "window_size [w,h] is required"
                                                         : "window_loc [x,y] is required");
    }
    if (request.mode == "resize") {
      if ((*v)[0] <= 0 || (*v)[1] <= 0) return Error(Errc::usage, "window_size must be positive");
      a->window.width = (*v)[0];
      a->window.height = (*v)[1];
    } else {
      a->window.x = (*v)[0];
      a->window.y = (*v)[1];
    }
    return a->info.name + " window " + (request.mode == "resize" ? "resized to (" : "moved to (") +
           std::to_string((*v)[0]) + "," + std::to_string((*v)[1]) + ").";
  }
  return Error(Errc::usage, "mode must be launch, resize, move or switch");
}

bool SyntheticBackend::quit_app(const std::string& name) {
  App* a = find_app(name);
  if (a == nullptr) return false;
  cache_.erase(a->info.pid);
  const auto index = static_cast<std::size_t>(a - apps_.data());
  apps_.erase(apps_.begin() + static_cast<std::ptrdiff_t>(index));
  if (index < frontmost_) {
    --frontmost_;
  } else if (frontmost_ >= apps_.size()) {
    frontmost_ = apps_.empty() ? 0 : apps_.size() - 1;
  }
  return true;
}

}  // namespace mcpleak::axref
