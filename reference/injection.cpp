#include "reference/injection.h"

#include <fcntl.h>

#include <chrono>
#include <string>

namespace mcpleak::axref {
namespace {

constexpr std::size_t kPerCallBytes = 32 * 1024;
constexpr std::size_t kPerTickBytes = 16 * 1024;
constexpr std::size_t kPerSessionBytes = 64 * 1024;
constexpr std::size_t kPoolObjectsPerJob = 32;
constexpr auto kRetryInterval = std::chrono::milliseconds(100);

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

Result<InjectionConfig> parse_injections(std::string_view list, double scale) {
  if (!(scale > 0)) return Error(Errc::usage, "--inject-scale must be > 0");
  InjectionConfig cfg;
  cfg.scale = scale;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.empty()) continue;
    bool known = false;
    for (LeakClass c : kAllLeakClasses) {
      if (item == leak_class_name(c)) {
        cfg.mask |= 1u << static_cast<unsigned>(c);
        known = true;
      }
    }
    if (!known) {
      std::string names;
      for (LeakClass c : kAllLeakClasses) {
        names += (names.empty() ? "" : ", ") + std::string(leak_class_name(c));
      }
      return Error(Errc::usage, "unknown leak class '" + std::string(item) + "' (" + names + ")");
    }
  }
  return cfg;
}

std::size_t bytes_per_leak_event(LeakClass c, double scale) {
  std::size_t base = kPerCallBytes;
  if (c == LeakClass::observer_retry) base = kPerTickBytes;
  if (c == LeakClass::session_retain || c == LeakClass::session_abandon_retain) {
    base = kPerSessionBytes;
  }
  return static_cast<std::size_t>(static_cast<double>(base) * scale);
}

Injector::Injector(InjectionConfig config, Counters& counters)
    : config_(config), counters_(counters) {
  if (active(LeakClass::observer_retry)) retry_thread_ = std::thread([this] { retry_loop(); });
  if (active(LeakClass::undrained_pool)) worker_thread_ = std::thread([this] { worker_loop(); });
}

Injector::~Injector() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (retry_thread_.joinable()) retry_thread_.join();
  if (worker_thread_.joinable()) worker_thread_.join();
  // Newest first mirrors the order a correct server would release in.
  while (!leaked_observers_.empty()) leaked_observers_.pop_back();
  release_elements();
  pool_.clear();
  leaked_fds_.clear();
}

void Injector::on_tree_read(pid_t pid) {
  if (active(LeakClass::observer_fd)) {
    UniqueFd source(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    std::lock_guard lock(mu_);
    if (source) {
      leaked_fds_.push_back(std::move(source));
      counters_.injection(LeakClass::observer_fd).events++;
    }
  }
  if (!active(LeakClass::observer_per_snapshot)) return;
  auto& counter = counters_.injection(LeakClass::observer_per_snapshot);
  auto observer = std::make_unique<Observer>(
      counters_, pid, bytes_per_leak_event(LeakClass::observer_per_snapshot, config_.scale),
      &counter.bytes);
  std::lock_guard lock(mu_);
  leaked_observers_.push_back(std::move(observer));
  counter.events++;
}

void Injector::retain_elements(std::vector<std::unique_ptr<ElementRef>> refs) {
  if (!active(LeakClass::element_retain)) return;
  auto& counter = counters_.injection(LeakClass::element_retain);
  TouchedBuffer buffer(bytes_per_leak_event(LeakClass::element_retain, config_.scale),
                       &counter.bytes);
  std::lock_guard lock(mu_);
  for (auto& r : refs) leaked_elements_.push_back(std::move(r));
  leaked_buffers_.push_back(std::move(buffer));
  counter.events++;
}

void Injector::release_elements() {
  std::lock_guard lock(mu_);
  while (!leaked_elements_.empty()) leaked_elements_.pop_back();
  leaked_buffers_.clear();
}

void Injector::on_call() {
  if (!active(LeakClass::undrained_pool)) return;
  std::unique_lock lock(mu_);
  const std::uint64_t ticket = ++jobs_posted_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return jobs_done_ >= ticket || stopping_; });
}

void Injector::worker_loop() {
  auto& counter = counters_.injection(LeakClass::undrained_pool);
  const std::size_t each =
      bytes_per_leak_event(LeakClass::undrained_pool, config_.scale) / kPoolObjectsPerJob;
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || jobs_done_ < jobs_posted_; });
    if (stopping_) return;
    // The job's temporaries, autoreleased into a pool that this thread never drains.
    for (std::size_t i = 0; i < kPoolObjectsPerJob; ++i) pool_.emplace_back(each, &counter.bytes);
    counter.events++;
    ++jobs_done_;
    cv_.notify_all();
  }
}

void Injector::retry_loop() {
  auto& counter = counters_.injection(LeakClass::observer_retry);
  const std::size_t bytes = bytes_per_leak_event(LeakClass::observer_retry, config_.scale);
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kRetryInterval, [&] { return stopping_; })) {
    // "Start" an observer for the frontmost app; the start fails and the half-made
    // observer is dropped on the floor instead of released: one leak per tick.
    leaked_observers_.push_back(std::make_unique<Observer>(counters_, 0, bytes, &counter.bytes));
    counter.events++;
  }
}

}  // namespace mcpleak::axref
