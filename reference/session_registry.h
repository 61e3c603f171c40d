// Session bookkeeping of axref's Streamable HTTP transport, with no HTTP in it: ids, the
// per-session state a real server keeps (client context), a cap on live sessions, and
// the session-retain leak (closed sessions kept until shutdown). Not thread-safe: the
// HTTP server calls it under its one request mutex.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reference/counters.h"
#include "reference/injection.h"

namespace mcpleak::axref {

namespace detail {
class Session;
}

class SessionRegistry {
 public:
  // Enough for every client a harness run opens at once; a client that never DELETEs
  // costs at most this many sessions (256 x 64 KiB = 16 MiB at scale 1).
  static constexpr std::size_t kDefaultCapacity = 256;

  // Each session holds bytes_per_leak_event(session_retain, config.scale) touched bytes,
  // counted in counters.session_bytes while live. With session_retain active in
  // `config`, ended sessions move to the retained list instead of being freed.
  // `capacity` must be >= 1.
  SessionRegistry(Counters& counters, const InjectionConfig& config,
                  std::size_t capacity = kDefaultCapacity);
  // Frees live and retained sessions: the session counters return to zero.
  ~SessionRegistry();
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Creates a live session and returns its id: 32 lower-case hex digits from
  // std::random_device, unique among live sessions. At capacity, the least recently
  // used live session is ended first (freed, or retained under session-retain).
  std::string open();
  // True when `id` names a live session; marks it most recently used. Ended (closed,
  // evicted or retained) sessions are not found.
  bool find(std::string_view id);
  // Ends a live session; false (and no change) when `id` is not live.
  bool close(std::string_view id);

  std::size_t live_count() const { return by_id_.size(); }
  std::size_t retained_count() const { return retained_.size(); }
  std::size_t capacity() const { return capacity_; }
  // Touched bytes one session's client context holds.
  std::size_t bytes_per_session() const { return bytes_per_session_; }

 private:
  using Lru = std::list<std::unique_ptr<detail::Session>>;  // front = most recently used
  void end(Lru::iterator it);
  std::string new_id();

  Counters& counters_;
  bool retain_ended_;
  std::size_t capacity_;
  std::size_t bytes_per_session_;
  Lru lru_;
  std::unordered_map<std::string, Lru::iterator> by_id_;
  std::vector<std::unique_ptr<detail::Session>> retained_;  // session-retain: never freed early
  std::random_device random_;
};

}  // namespace mcpleak::axref
