// Session bookkeeping of axref's Streamable HTTP transport, with no HTTP in it: ids, the
// per-session state a real server keeps (client context), a cap on live sessions, expiry
// of idle (abandoned) sessions, and the two session leaks: session-retain (ended sessions
// kept until shutdown) and session-abandon-retain (idle sessions never expired). Not
// thread-safe: the HTTP server calls it under its one request mutex.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/result.h"
#include "reference/counters.h"
#include "reference/injection.h"

namespace mcpleak::axref {

namespace detail {
class Session;
}

// "30s", "500ms", "2m", "1h" -> milliseconds, for --session-idle-timeout. A unit is
// required; the value must be a whole number from 1 ms to 24 h. Anything else is
// Errc::usage naming the text.
Result<std::chrono::milliseconds> parse_idle_timeout(std::string_view text);

class SessionRegistry {
 public:
  using Clock = std::chrono::steady_clock;
  using NowFn = std::function<Clock::time_point()>;  // must be monotonic

  // Enough for every client a harness run opens at once; in fixed axref a client that
  // never DELETEs costs at most this many sessions (256 x 64 KiB = 16 MiB at scale 1).
  static constexpr std::size_t kDefaultCapacity = 256;
  // A session with no request for this long is abandoned and expired. Long enough for a
  // client thinking between calls, short enough that abandoned sessions of a minutes-long
  // leak run are freed well within it (at 2.5 sessions/s: ~75 live, ~4.7 MiB at scale 1).
  static constexpr std::chrono::milliseconds kDefaultIdleTimeout{30'000};

  // Each session holds bytes_per_leak_event(session_retain, config.scale) touched bytes.
  // With session_retain active in `config`, ended sessions (DELETE, idle expiry, cap
  // eviction) move to the retained list instead of being freed. With
  // session_abandon_retain active, sessions end only by DELETE: neither the idle timeout
  // nor the cap ends one. `capacity` >= 1, `idle_timeout` > 0, `now` is read on open(),
  // find() and expire_idle() (tests pass a fake clock).
  SessionRegistry(Counters& counters, const InjectionConfig& config,
                  std::size_t capacity = kDefaultCapacity,
                  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout,
                  NowFn now = Clock::now);
  // Frees live, abandoned and retained sessions: the session counters return to zero.
  ~SessionRegistry();
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Creates a live session and returns its id: 32 lower-case hex digits from
  // std::random_device, unique among live sessions. At capacity, the least recently
  // used live session is ended first (freed, or retained under session-retain); under
  // session-abandon-retain there is no cap.
  std::string open();
  // True when `id` names a live session (abandoned ones included: they never expired);
  // marks it used now. Ended (closed, expired, evicted or retained) sessions are not found.
  bool find(std::string_view id);
  // Ends a live session, abandoned or not; false (and no change) when `id` is not live.
  bool close(std::string_view id);
  // Sessions not used for at least the idle timeout: ended (freed, or retained under
  // session-retain), or under session-abandon-retain kept live and counted as abandoned
  // (their bytes become the injection's leaked bytes). Returns how many sessions passed
  // the timeout in this call. Cost: O(that number).
  std::size_t expire_idle();

  std::size_t live_count() const { return by_id_.size(); }
  std::size_t abandoned_count() const { return abandoned_.size(); }
  std::size_t retained_count() const { return retained_.size(); }
  std::size_t capacity() const { return capacity_; }
  std::chrono::milliseconds idle_timeout() const { return idle_timeout_; }
  // Touched bytes one session's client context holds.
  std::size_t bytes_per_session() const { return bytes_per_session_; }

 private:
  // Sessions within the timeout, front = most recently used, so expiry looks only at the
  // back. abandoned_ holds the ones kept past it (session-abandon-retain only).
  using SessionList = std::list<std::unique_ptr<detail::Session>>;
  void end(SessionList::iterator it);
  std::string new_id();

  Counters& counters_;
  bool retain_ended_;
  bool never_expire_;
  std::size_t capacity_;
  std::chrono::milliseconds idle_timeout_;
  NowFn now_;
  std::size_t bytes_per_session_;
  SessionList lru_;
  SessionList abandoned_;
  std::unordered_map<std::string, SessionList::iterator> by_id_;  // into lru_ or abandoned_
  std::vector<std::unique_ptr<detail::Session>> retained_;  // session-retain: never freed early
  std::random_device random_;
};

}  // namespace mcpleak::axref
