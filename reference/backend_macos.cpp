// NOTE: type-checked only (../shared/tools/macos-syntax-check); never run in this repo's CI.
// Every CF object lives in a CFRef; every AXObserver in an AxObserver whose destructor
// removes its notifications and run-loop source before the CFRelease.
#include "reference/backend_macos.h"

#include <ApplicationServices/ApplicationServices.h>
#include <CoreFoundation/CoreFoundation.h>
#include <ImageIO/ImageIO.h>
#include <cerrno>
#include <csignal>
#include <map>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "reference/cf_ref.h"
#include "reference/injection.h"
#include "reference/observer_cache.h"
#include "reference/retry_backoff.h"

extern char** environ;

namespace mcpleak::axref {
namespace {

std::string to_string(CFStringRef s) {
  if (s == nullptr) return {};
  const CFIndex len = CFStringGetLength(s);
  std::string out(static_cast<std::size_t>(CFStringGetMaximumSizeForEncoding(len, kCFStringEncodingUTF8)) + 1, '\0');
  if (!CFStringGetCString(s, out.data(), static_cast<CFIndex>(out.size()), kCFStringEncodingUTF8)) return {};
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

CFRef<CFStringRef> cf_string(const std::string& s) {
  return CFRef<CFStringRef>::adopt(
      CFStringCreateWithCString(kCFAllocatorDefault, s.c_str(), kCFStringEncodingUTF8));
}

// The attribute value (+1) or an empty CFRef when absent or on error.
CFRef<CFTypeRef> copy_attribute(AXUIElementRef element, CFStringRef attribute) {
  CFRef<CFTypeRef> value;
  if (AXUIElementCopyAttributeValue(element, attribute, value.out()) != kAXErrorSuccess) value.reset();
  return value;
}

std::string string_attribute(AXUIElementRef element, CFStringRef attribute) {
  auto value = copy_attribute(element, attribute);
  if (!value || CFGetTypeID(value.get()) != CFStringGetTypeID()) return {};
  return to_string(static_cast<CFStringRef>(value.get()));
}

std::optional<Bounds> bounds_of(AXUIElementRef element) {
  auto pos = copy_attribute(element, kAXPositionAttribute);
  auto size = copy_attribute(element, kAXSizeAttribute);
  if (!pos || !size || CFGetTypeID(pos.get()) != AXValueGetTypeID() ||
      CFGetTypeID(size.get()) != AXValueGetTypeID()) {
    return std::nullopt;
  }
  CGPoint p{};
  CGSize s{};
  if (!AXValueGetValue(static_cast<AXValueRef>(pos.get()), kAXValueTypeCGPoint, &p) ||
      !AXValueGetValue(static_cast<AXValueRef>(size.get()), kAXValueTypeCGSize, &s)) {
    return std::nullopt;
  }
  return Bounds{static_cast<int>(p.x), static_cast<int>(p.y), static_cast<int>(s.width),
                static_cast<int>(s.height)};
}

// An AXUIElementRef counted as one held element.
class MacElement final : public ElementRef {
 public:
  MacElement(Counters& c, CFRef<AXUIElementRef> ref) : ElementRef(c), ref_(std::move(ref)) {}
  AXUIElementRef get() const { return ref_.get(); }

 private:
  CFRef<AXUIElementRef> ref_;
};

void on_ax_notification(AXObserverRef, AXUIElementRef, CFStringRef, void* refcon) {
  // Focus moved in a watched app: the next Snapshot must not trust any cached frontmost.
  *static_cast<bool*>(refcon) = true;
}

// One AXObserver watching one app: owns the observer, the app element, the notifications
// added and the run-loop source; the destructor undoes each in reverse.
class MacObserver final : public Observer {
 public:
  static constexpr std::size_t kBytes = 4096;

  // nullptr when any step fails; whatever was made is released before returning.
  static std::unique_ptr<MacObserver> start(Counters& counters, pid_t pid, bool* focus_flag) {
    CFRef<AXObserverRef> observer;
    if (AXObserverCreate(pid, on_ax_notification, observer.out()) != kAXErrorSuccess) return nullptr;
    auto made = std::unique_ptr<MacObserver>(new MacObserver(
        counters, pid, std::move(observer),
        CFRef<AXUIElementRef>::adopt(AXUIElementCreateApplication(pid))));
    for (CFStringRef n : {kAXFocusedWindowChangedNotification, kAXFocusedUIElementChangedNotification}) {
      if (AXObserverAddNotification(made->observer_.get(), made->app_.get(), n, focus_flag) !=
          kAXErrorSuccess) {
        return nullptr;  // ~MacObserver removes the notifications already added
      }
      made->added_.push_back(n);
    }
    CFRunLoopAddSource(CFRunLoopGetCurrent(), AXObserverGetRunLoopSource(made->observer_.get()),
                       kCFRunLoopDefaultMode);
    made->run_loop_ = CFRunLoopGetCurrent();
    return made;
  }

  ~MacObserver() override {
    if (run_loop_ != nullptr) {
      CFRunLoopRemoveSource(run_loop_, AXObserverGetRunLoopSource(observer_.get()),
                            kCFRunLoopDefaultMode);
    }
    for (auto it = added_.rbegin(); it != added_.rend(); ++it) {
      AXObserverRemoveNotification(observer_.get(), app_.get(), *it);
    }
    // observer_ and app_ are CFReleased by their CFRef destructors.
  }

 private:
  MacObserver(Counters& counters, pid_t pid, CFRef<AXObserverRef> observer,
              CFRef<AXUIElementRef> app)
      : Observer(counters, pid, kBytes, &counters.cache_bytes),
        observer_(std::move(observer)), app_(std::move(app)) {}

  CFRef<AXObserverRef> observer_;
  CFRef<AXUIElementRef> app_;
  std::vector<CFStringRef> added_;  // constants, not owned
  CFRunLoopRef run_loop_ = nullptr;  // Get rule, not owned
};

std::vector<AppInfo> on_screen_apps() {
  std::vector<AppInfo> apps;
  auto windows = CFRef<CFArrayRef>::adopt(
      CGWindowListCopyWindowInfo(kCGWindowListOptionOnScreenOnly | kCGWindowListExcludeDesktopElements,
                                 kCGNullWindowID));
  if (!windows) return apps;
  for (CFIndex i = 0; i < CFArrayGetCount(windows.get()); ++i) {
    auto info = static_cast<CFDictionaryRef>(CFArrayGetValueAtIndex(windows.get(), i));
    auto pid_ref = static_cast<CFNumberRef>(CFDictionaryGetValue(info, kCGWindowOwnerPID));
    auto name_ref = static_cast<CFStringRef>(CFDictionaryGetValue(info, kCGWindowOwnerName));
    int pid = 0;
    if (pid_ref == nullptr || !CFNumberGetValue(pid_ref, kCFNumberIntType, &pid)) continue;
    bool seen = false;
    for (const auto& a : apps) seen = seen || a.pid == pid;
    if (!seen) apps.push_back({to_string(name_ref), pid});
  }
  return apps;
}

std::vector<std::uint8_t> capture_main_display() {
  auto image = CFRef<CGImageRef>::adopt(CGDisplayCreateImage(CGMainDisplayID()));
  if (!image) return {};
  auto data = CFRef<CFMutableDataRef>::adopt(CFDataCreateMutable(kCFAllocatorDefault, 0));
  auto type = cf_string("public.png");
  auto dest = CFRef<CGImageDestinationRef>::adopt(
      CGImageDestinationCreateWithData(data.get(), type.get(), 1, nullptr));
  if (!dest) return {};
  CGImageDestinationAddImage(dest.get(), image.get(), nullptr);
  if (!CGImageDestinationFinalize(dest.get())) return {};
  const UInt8* bytes = CFDataGetBytePtr(data.get());
  return std::vector<std::uint8_t>(bytes, bytes + CFDataGetLength(data.get()));
}

class MacBackend final : public Backend {
 public:
  MacBackend(const BackendOptions& options, Counters& counters, Injector& injector)
      : options_(options), counters_(counters), injector_(injector),
        cache_(options.observer_cache_capacity) {}
  ~MacBackend() override {
    injector_.release_elements();
    cache_.clear();
  }

  std::string_view name() const override { return "macos"; }

  Result<SnapshotResult> snapshot(bool use_vision) override {
    const pid_t pid = frontmost_pid();
    if (pid <= 0) return Error(Errc::io, "no frontmost application");
    attach_observer(pid);
    injector_.on_tree_read(pid);
    focus_changed_ = false;

    SnapshotResult result;
    std::vector<std::unique_ptr<ElementRef>> held;
    std::size_t visited = 0;
    auto app = std::make_unique<MacElement>(
        counters_, CFRef<AXUIElementRef>::adopt(AXUIElementCreateApplication(pid)));
    result.state.root = walk(std::move(app), 0, visited, result.state.truncated, held);
    if (injector_.active(LeakClass::element_retain)) injector_.retain_elements(std::move(held));
    held.clear();
    result.state.open_apps = on_screen_apps();
    result.state.frontmost = {result.state.root.name, pid};
    if (use_vision) {
      result.png = capture_main_display();
      if (result.png.empty()) result.note = "screen capture failed (Screen Recording permission?)";
    }
    return result;
  }

  Result<std::string> app(const AppRequest& request) override {
    const auto apps = on_screen_apps();
    const AppInfo* found = nullptr;
    for (const auto& a : apps) {
      if (!request.name.empty() && app_name_matches(a.name, request.name)) found = &a;
    }
    if (request.mode == "launch" && found == nullptr) {
      if (request.name.empty()) return Error(Errc::usage, "name is required for launch");
      const char* argv[] = {"open", "-a", request.name.c_str(), nullptr};
      pid_t child = 0;
      if (posix_spawnp(&child, "open", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) {
        return Error(Errc::io, "could not run open -a " + request.name);
      }
      int status = 0;
      waitpid(child, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return Error(Errc::io, "open -a " + request.name + " failed");
      }
      return "Launched " + request.name + ".";
    }
    if (request.mode == "launch" || request.mode == "switch") {
      if (found == nullptr) return Error(Errc::io, "no running application matches '" + request.name + "'");
      auto element = CFRef<AXUIElementRef>::adopt(AXUIElementCreateApplication(found->pid));
      if (AXUIElementSetAttributeValue(element.get(), kAXFrontmostAttribute, kCFBooleanTrue) !=
          kAXErrorSuccess) {
        return Error(Errc::io, "could not bring " + found->name + " to the front");
      }
      target_pid_ = found->pid;
      return "Switched to " + found->name + ".";
    }
    if (request.mode == "resize" || request.mode == "move") {
      const pid_t pid = found != nullptr ? found->pid : frontmost_pid();
      auto element = CFRef<AXUIElementRef>::adopt(AXUIElementCreateApplication(pid));
      auto window = copy_attribute(element.get(), kAXFocusedWindowAttribute);
      if (!window) return Error(Errc::io, "the application has no focused window");
      const auto& v = request.mode == "resize" ? request.window_size : request.window_loc;
      if (!v) return Error(Errc::usage, request.mode == "resize" ? "window_size is required"
                                                                 : "window_loc is required");
      CFRef<AXValueRef> value;
      if (request.mode == "resize") {
        const CGSize s = CGSizeMake((*v)[0], (*v)[1]);
        value = CFRef<AXValueRef>::adopt(AXValueCreate(kAXValueTypeCGSize, &s));
      } else {
        const CGPoint p = CGPointMake((*v)[0], (*v)[1]);
        value = CFRef<AXValueRef>::adopt(AXValueCreate(kAXValueTypeCGPoint, &p));
      }
      const CFStringRef attribute = request.mode == "resize" ? kAXSizeAttribute : kAXPositionAttribute;
      if (AXUIElementSetAttributeValue(static_cast<AXUIElementRef>(window.get()), attribute,
                                       value.get()) != kAXErrorSuccess) {
        return Error(Errc::io, "the window refused to " + request.mode);
      }
      return std::string("Window ") + (request.mode == "resize" ? "resized." : "moved.");
    }
    return Error(Errc::usage, "mode must be launch, resize, move or switch");
  }

  void pump() override {
    // Deliver pending AX notifications to our observers without blocking.
    while (CFRunLoopRunInMode(kCFRunLoopDefaultMode, 0, true) == kCFRunLoopRunHandledSource) {
    }
    cache_.erase_dead([](pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; });
    for (auto it = backoff_.begin(); it != backoff_.end();) {
      it = (::kill(it->first, 0) != 0 && errno == ESRCH) ? backoff_.erase(it) : std::next(it);
    }
  }

 private:
  pid_t frontmost_pid() {
    if (target_pid_ > 0 && ::kill(target_pid_, 0) == 0) return target_pid_;
    auto system = CFRef<AXUIElementRef>::adopt(AXUIElementCreateSystemWide());
    auto app = copy_attribute(system.get(), kAXFocusedApplicationAttribute);
    pid_t pid = 0;
    if (!app || AXUIElementGetPid(static_cast<AXUIElementRef>(app.get()), &pid) != kAXErrorSuccess) return 0;
    return pid;
  }

  // One observer per pid, cached. A failed start is released at once and retried only
  // when its back-off allows (500 ms doubling to 30 s), never per tick.
  void attach_observer(pid_t pid) {
    if (cache_.find(pid) != nullptr) {
      cache_.get_or_attach(pid, [] { return std::unique_ptr<Observer>(); });  // mark recent
      return;
    }
    auto [it, inserted] = backoff_.try_emplace(pid, std::chrono::milliseconds(500), std::chrono::seconds(30));
    const auto now = RetryBackoff::Clock::now();
    if (!it->second.ready(now)) return;
    Observer* made = cache_.get_or_attach(
        pid, [&] { return std::unique_ptr<Observer>(MacObserver::start(counters_, pid, &focus_changed_)); });
    if (made == nullptr) {
      it->second.failed(now);
    } else {
      backoff_.erase(it);
    }
  }

  AxNode walk(std::unique_ptr<MacElement> element, int depth, std::size_t& visited, bool& truncated,
              std::vector<std::unique_ptr<ElementRef>>& held) {
    AXUIElementRef e = element->get();
    ++visited;
    AxNode node;
    node.role = string_attribute(e, kAXRoleAttribute);
    node.name = string_attribute(e, kAXTitleAttribute);
    if (node.name.empty()) node.name = string_attribute(e, kAXDescriptionAttribute);
    node.bounds = bounds_of(e);
    auto children = copy_attribute(e, kAXChildrenAttribute);
    if (children && CFGetTypeID(children.get()) == CFArrayGetTypeID()) {
      auto array = static_cast<CFArrayRef>(children.get());
      const CFIndex n = CFArrayGetCount(array);
      if (n > 0 && depth + 1 >= options_.max_depth) truncated = true;
      for (CFIndex i = 0; i < n && depth + 1 < options_.max_depth; ++i) {
        if (visited >= options_.max_nodes) {
          truncated = true;
          break;
        }
        auto child = CFRef<AXUIElementRef>::retain(
            static_cast<AXUIElementRef>(CFArrayGetValueAtIndex(array, i)));
        node.children.push_back(walk(std::make_unique<MacElement>(counters_, std::move(child)),
                                     depth + 1, visited, truncated, held));
      }
    }
    if (injector_.active(LeakClass::element_retain)) held.push_back(std::move(element));
    return node;
  }

  BackendOptions options_;
  Counters& counters_;
  Injector& injector_;
  ObserverCache cache_;
  std::map<pid_t, RetryBackoff> backoff_;
  pid_t target_pid_ = 0;
  bool focus_changed_ = false;
};

}  // namespace

Result<std::unique_ptr<Backend>> make_macos_backend(const BackendOptions& options,
                                                    Counters& counters, Injector& injector) {
  if (!AXIsProcessTrusted()) {
    return Error(Errc::io, "not trusted for accessibility (System Settings > Privacy & "
                           "Security > Accessibility)");
  }
  return std::unique_ptr<Backend>(new MacBackend(options, counters, injector));
}

}  // namespace mcpleak::axref
