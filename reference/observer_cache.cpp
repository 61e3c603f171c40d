#include "reference/observer_cache.h"

#include <algorithm>

namespace mcpleak::axref {

ObserverCache::ObserverCache(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}

Observer* ObserverCache::find(pid_t pid) const {
  for (const auto& e : entries_) {
    if (e->pid() == pid) return e.get();
  }
  return nullptr;
}

Observer* ObserverCache::get_or_attach(pid_t pid, const Factory& make) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [pid](const auto& e) { return e->pid() == pid; });
  if (it != entries_.end()) {
    entries_.splice(entries_.begin(), entries_, it);
    return entries_.front().get();
  }
  auto created = make();
  if (!created) return nullptr;
  while (entries_.size() >= capacity_) {
    entries_.pop_back();
    ++evictions_;
  }
  entries_.push_front(std::move(created));
  return entries_.front().get();
}

bool ObserverCache::erase(pid_t pid) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [pid](const auto& e) { return e->pid() == pid; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

void ObserverCache::clear() {
  // Newest first, so an observer never outlives one created before it.
  while (!entries_.empty()) entries_.pop_front();
}

std::size_t ObserverCache::erase_dead(const std::function<bool(pid_t)>& alive) {
  const std::size_t before = entries_.size();
  entries_.remove_if([&](const auto& e) { return !alive(e->pid()); });
  return before - entries_.size();
}

}  // namespace mcpleak::axref
