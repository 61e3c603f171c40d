// A bounded per-pid cache of observers: at most `capacity` entries, least recently used
// evicted first. Eviction, erase (pid exit) and clear (shutdown) destroy the observer,
// which is what releases it (AXObserverRemoveNotification + CFRelease on macOS).
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <sys/types.h>

#include "reference/observer.h"

namespace mcpleak::axref {

class ObserverCache {
 public:
  using Factory = std::function<std::unique_ptr<Observer>()>;

  // capacity 0 is treated as 1.
  explicit ObserverCache(std::size_t capacity);
  ~ObserverCache() { clear(); }
  ObserverCache(const ObserverCache&) = delete;
  ObserverCache& operator=(const ObserverCache&) = delete;

  // The cached observer for pid (marked most recent), or a new one from `make`, inserted
  // after evicting the least recently used entry when full. `make` may return nullptr
  // (the observer failed to start): nothing is cached and nullptr is returned.
  Observer* get_or_attach(pid_t pid, const Factory& make);
  Observer* find(pid_t pid) const;
  // Releases the observer of pid (the process exited). False when none was cached.
  bool erase(pid_t pid);
  // Releases every observer (shutdown).
  void clear();
  // Releases the observers whose pid fails `alive`; returns how many.
  std::size_t erase_dead(const std::function<bool(pid_t)>& alive);

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }
  std::size_t evictions() const { return evictions_; }

 private:
  std::size_t capacity_;
  std::size_t evictions_ = 0;
  std::list<std::unique_ptr<Observer>> entries_;  // front = most recently used
};

}  // namespace mcpleak::axref
