#include "reference/counters.h"

namespace mcpleak::axref {

std::string_view leak_class_name(LeakClass c) {
  switch (c) {
    case LeakClass::observer_per_snapshot: return "observer-per-snapshot";
    case LeakClass::observer_retry: return "observer-retry";
    case LeakClass::element_retain: return "element-retain";
    case LeakClass::undrained_pool: return "undrained-pool";
    case LeakClass::session_retain: return "session-retain";
    case LeakClass::session_abandon_retain: return "session-abandon-retain";
    case LeakClass::observer_fd: return "observer-fd";
  }
  return "unknown";
}

std::int64_t Counters::leaked_bytes() const {
  std::int64_t total = 0;
  for (const auto& i : injections) total += i.bytes.load();
  return total;
}

bool Counters::all_released() const {
  if (observers.load() != 0 || elements.load() != 0 || cache_bytes.load() != 0) return false;
  if (live_sessions.load() != 0 || retained_sessions.load() != 0 ||
      abandoned_sessions.load() != 0 || session_bytes.load() != 0) {
    return false;
  }
  for (const auto& i : injections) {
    if (i.bytes.load() != 0) return false;
  }
  return true;
}

nlohmann::json diagnostics_json(const Counters& counters, unsigned active) {
  nlohmann::json injections = nlohmann::json::object();
  for (LeakClass c : kAllLeakClasses) {
    const auto& i = counters.injection(c);
    injections[std::string(leak_class_name(c))] = {
        {"active", (active >> static_cast<unsigned>(c) & 1u) != 0},
        {"events", i.events.load()},
        {"bytes", i.bytes.load()}};
  }
  return {{"observers", counters.observers.load()},
          {"elements", counters.elements.load()},
          {"snapshots", counters.snapshots.load()},
          {"cache_bytes", counters.cache_bytes.load()},
          {"leaked_bytes", counters.leaked_bytes()},
          {"live_sessions", counters.live_sessions.load()},
          {"retained_sessions", counters.retained_sessions.load()},
          {"abandoned_sessions", counters.abandoned_sessions.load()},
          {"session_bytes", counters.session_bytes.load()},
          {"injections", std::move(injections)}};
}

}  // namespace mcpleak::axref
