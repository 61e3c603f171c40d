// Live lifecycle counters of axref, read by the Diagnostics tool and by unit tests.
// Every resource that a leak would retain (observers, element references, cache and
// leaked buffers) moves one of these up on acquire and down on release.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mcpleak::axref {

// The leak classes `--inject` can reproduce: the four of DESIGN.md, plus two that only the
// Streamable HTTP transport has: session_retain (ended sessions kept) and
// session_abandon_retain (sessions never closed by their client are never expired); and
// observer_fd, a leak of file descriptors rather than memory.
enum class LeakClass {
  observer_per_snapshot,
  observer_retry,
  element_retain,
  undrained_pool,
  session_retain,
  session_abandon_retain,
  observer_fd
};
inline constexpr std::size_t kLeakClassCount = 7;
inline constexpr std::array<LeakClass, kLeakClassCount> kAllLeakClasses = {
    LeakClass::observer_per_snapshot, LeakClass::observer_retry, LeakClass::element_retain,
    LeakClass::undrained_pool,        LeakClass::session_retain,
    LeakClass::session_abandon_retain, LeakClass::observer_fd};

// "observer-per-snapshot", ...: the spelling used on the command line and in Diagnostics.
std::string_view leak_class_name(LeakClass c);

struct InjectionCounter {
  std::atomic<std::int64_t> events{0};  // leaked objects created (observers, walks, jobs)
  std::atomic<std::int64_t> bytes{0};   // touched bytes those objects still hold
};

struct Counters {
  std::atomic<std::int64_t> observers{0};    // observers alive: cached plus leaked
  std::atomic<std::int64_t> elements{0};     // element references alive
  std::atomic<std::int64_t> snapshots{0};    // Snapshot calls served (a statistic, not a resource)
  std::atomic<std::int64_t> cache_bytes{0};  // bytes held by bounded caches (observer cache)
  // Streamable HTTP sessions (session_registry.h); all zero on the stdio transport.
  std::atomic<std::int64_t> live_sessions{0};       // open sessions: not closed, not expired
  std::atomic<std::int64_t> retained_sessions{0};   // ended sessions kept (session-retain)
  // Live sessions idle past the idle timeout and kept (session-abandon-retain); always
  // zero in fixed axref, which expires them. Included in live_sessions.
  std::atomic<std::int64_t> abandoned_sessions{0};
  // Client-context bytes of live sessions within the idle timeout. Bytes of abandoned or
  // retained sessions are counted as their injection's bytes instead.
  std::atomic<std::int64_t> session_bytes{0};
  std::array<InjectionCounter, kLeakClassCount> injections;

  InjectionCounter& injection(LeakClass c) { return injections[static_cast<std::size_t>(c)]; }
  const InjectionCounter& injection(LeakClass c) const {
    return injections[static_cast<std::size_t>(c)];
  }
  // Bytes held by injected leaks, all classes together.
  std::int64_t leaked_bytes() const;
  // True when every resource counter is zero (snapshots is a statistic and ignored).
  bool all_released() const;
};

// {"observers":..,"elements":..,"snapshots":..,"cache_bytes":..,"leaked_bytes":..,
//  "live_sessions":..,"retained_sessions":..,"abandoned_sessions":..,"session_bytes":..,
//  "injections":{"observer-retry":{"active":bool,"events":..,"bytes":..},...}}.
// `active` has bit i set when leak class i is injected.
nlohmann::json diagnostics_json(const Counters& counters, unsigned active);

}  // namespace mcpleak::axref
