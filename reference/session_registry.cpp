#include "reference/session_registry.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <utility>

#include "harness/check.h"
#include "reference/touched_buffer.h"

namespace mcpleak::axref {
namespace detail {

// What a server keeps per client between requests (negotiated capabilities, request
// state, buffers), stood for by a touched buffer. Its bytes are counted in whichever
// counter describes its current state: live session bytes, or leaked bytes once retained
// or abandoned.
class Session {
 public:
  Session(std::string id, std::size_t context_bytes, std::atomic<std::int64_t>* bytes_counter,
          SessionRegistry::Clock::time_point now)
      : id_(std::move(id)),
        context_(context_bytes, nullptr),
        bytes_counter_(bytes_counter),
        last_used_(now) {
    bytes_counter_->fetch_add(size());
  }
  ~Session() { bytes_counter_->fetch_sub(size()); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& id() const { return id_; }
  // Moves this session's bytes from its current counter to `to` (the object stays put).
  void recount(std::atomic<std::int64_t>* to) {
    bytes_counter_->fetch_sub(size());
    bytes_counter_ = to;
    bytes_counter_->fetch_add(size());
  }
  SessionRegistry::Clock::time_point last_used() const { return last_used_; }
  void use(SessionRegistry::Clock::time_point now) { last_used_ = now; }
  // True while the session sits in the registry's abandoned_ list.
  bool abandoned() const { return abandoned_; }
  void set_abandoned(bool abandoned) { abandoned_ = abandoned; }

 private:
  std::int64_t size() const { return static_cast<std::int64_t>(context_.size_bytes()); }

  std::string id_;
  TouchedBuffer context_;  // uncounted: the session moves its bytes between counters
  std::atomic<std::int64_t>* bytes_counter_;
  SessionRegistry::Clock::time_point last_used_;
  bool abandoned_ = false;
};

}  // namespace detail

Result<std::chrono::milliseconds> parse_idle_timeout(std::string_view text) {
  const auto fail = [&] {
    return Error(Errc::usage, "--session-idle-timeout '" + std::string(text) +
                                  "': expected a whole number with a unit (500ms, 30s, "
                                  "2m, 1h), from 1ms to 24h");
  };
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end == text.data()) return fail();
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  constexpr std::uint64_t kMaxMs = 24ull * 3600 * 1000;
  std::uint64_t ms_per_unit = 0;
  if (unit == "ms") ms_per_unit = 1;
  if (unit == "s") ms_per_unit = 1000;
  if (unit == "m") ms_per_unit = 60 * 1000;
  if (unit == "h") ms_per_unit = 3600 * 1000;
  if (ms_per_unit == 0 || value == 0 || value > kMaxMs / ms_per_unit) return fail();
  return std::chrono::milliseconds(static_cast<std::int64_t>(value * ms_per_unit));
}

SessionRegistry::SessionRegistry(Counters& counters, const InjectionConfig& config,
                                 std::size_t capacity, std::chrono::milliseconds idle_timeout,
                                 NowFn now)
    : counters_(counters),
      retain_ended_(config.has(LeakClass::session_retain)),
      never_expire_(config.has(LeakClass::session_abandon_retain)),
      capacity_(capacity),
      idle_timeout_(idle_timeout),
      now_(std::move(now)),
      bytes_per_session_(bytes_per_leak_event(LeakClass::session_retain, config.scale)) {
  MCPLEAK_CHECK(capacity_ >= 1) << "session capacity must be at least 1";
  MCPLEAK_CHECK(idle_timeout_.count() > 0) << "session idle timeout must be positive";
  MCPLEAK_CHECK(static_cast<bool>(now_)) << "session registry needs a clock";
}

SessionRegistry::~SessionRegistry() {
  counters_.live_sessions -= static_cast<std::int64_t>(by_id_.size());
  counters_.abandoned_sessions -= static_cast<std::int64_t>(abandoned_.size());
  counters_.retained_sessions -= static_cast<std::int64_t>(retained_.size());
  by_id_.clear();
  lru_.clear();
  abandoned_.clear();
  retained_.clear();
}

std::string SessionRegistry::open() {
  // The cap is an expiry too: a server that never expires sessions has none.
  if (!never_expire_ && by_id_.size() >= capacity_) end(std::prev(lru_.end()));
  std::string id = new_id();
  lru_.push_front(std::make_unique<detail::Session>(id, bytes_per_session_,
                                                    &counters_.session_bytes, now_()));
  by_id_.emplace(id, lru_.begin());
  counters_.live_sessions++;
  return id;
}

bool SessionRegistry::find(std::string_view id) {
  const auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return false;
  detail::Session& session = **it->second;
  if (session.abandoned()) {
    // The client came back after all: the session is in use again, not leaked. The
    // injection's events keep counting it (sessions that outlived the timeout).
    session.set_abandoned(false);
    session.recount(&counters_.session_bytes);
    counters_.abandoned_sessions--;
    lru_.splice(lru_.begin(), abandoned_, it->second);
  } else {
    lru_.splice(lru_.begin(), lru_, it->second);  // iterators stay valid
  }
  session.use(now_());
  return true;
}

bool SessionRegistry::close(std::string_view id) {
  const auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return false;
  end(it->second);
  return true;
}

std::size_t SessionRegistry::expire_idle() {
  const Clock::time_point now = now_();
  std::size_t passed = 0;
  while (!lru_.empty() && now - lru_.back()->last_used() >= idle_timeout_) {
    ++passed;
    const auto oldest = std::prev(lru_.end());
    if (!never_expire_) {
      end(oldest);
      continue;
    }
    // session-abandon-retain: the expiry a fixed server does here never happens. The
    // session stays live and findable; only the counters say it is past its timeout.
    detail::Session& session = **oldest;
    auto& leak = counters_.injection(LeakClass::session_abandon_retain);
    session.set_abandoned(true);
    session.recount(&leak.bytes);
    abandoned_.splice(abandoned_.end(), lru_, oldest);
    counters_.abandoned_sessions++;
    leak.events++;
  }
  return passed;
}

// Closing, expiring and evicting share this path, so under session-retain an expired or
// evicted session is kept as well: the bug is in the teardown, whichever way a session ends.
void SessionRegistry::end(SessionList::iterator it) {
  std::unique_ptr<detail::Session> session = std::move(*it);
  by_id_.erase(session->id());
  if (session->abandoned()) {
    abandoned_.erase(it);
    counters_.abandoned_sessions--;
  } else {
    lru_.erase(it);
  }
  counters_.live_sessions--;
  if (!retain_ended_) return;  // the session is freed here
  auto& leak = counters_.injection(LeakClass::session_retain);
  session->recount(&leak.bytes);
  retained_.push_back(std::move(session));
  counters_.retained_sessions++;
  leak.events++;
}

std::string SessionRegistry::new_id() {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  for (;;) {
    std::string id;
    id.reserve(32);
    for (int word = 0; word < 4; ++word) {
      std::uint32_t bits = random_();
      for (int nibble = 0; nibble < 8; ++nibble, bits >>= 4) id.push_back(kHex[bits & 0xFu]);
    }
    // Retained ids are not checked: a closed id must stay unknown, and 128 random bits
    // will not repeat one in practice.
    if (by_id_.find(id) == by_id_.end()) return id;
  }
}

}  // namespace mcpleak::axref
