#include "reference/session_registry.h"

#include <array>
#include <iterator>
#include <utility>

#include "harness/check.h"
#include "reference/touched_buffer.h"

namespace mcpleak::axref {
namespace detail {

// What a server keeps per client between requests (negotiated capabilities, request
// state, buffers), stood for by a touched buffer. Its bytes are counted in whichever
// counter describes its current state: live session bytes, or leaked bytes once retained.
class Session {
 public:
  Session(std::string id, std::size_t context_bytes, std::atomic<std::int64_t>* bytes_counter)
      : id_(std::move(id)), context_(context_bytes, nullptr), bytes_counter_(bytes_counter) {
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

 private:
  std::int64_t size() const { return static_cast<std::int64_t>(context_.size_bytes()); }

  std::string id_;
  TouchedBuffer context_;  // uncounted: the session moves its bytes between counters
  std::atomic<std::int64_t>* bytes_counter_;
};

}  // namespace detail

SessionRegistry::SessionRegistry(Counters& counters, const InjectionConfig& config,
                                 std::size_t capacity)
    : counters_(counters),
      retain_ended_(config.has(LeakClass::session_retain)),
      capacity_(capacity),
      bytes_per_session_(bytes_per_leak_event(LeakClass::session_retain, config.scale)) {
  MCPLEAK_CHECK(capacity_ >= 1) << "session capacity must be at least 1";
}

SessionRegistry::~SessionRegistry() {
  counters_.live_sessions -= static_cast<std::int64_t>(by_id_.size());
  counters_.retained_sessions -= static_cast<std::int64_t>(retained_.size());
  by_id_.clear();
  lru_.clear();
  retained_.clear();
}

std::string SessionRegistry::open() {
  if (by_id_.size() >= capacity_) end(std::prev(lru_.end()));
  std::string id = new_id();
  lru_.push_front(std::make_unique<detail::Session>(id, bytes_per_session_,
                                                    &counters_.session_bytes));
  by_id_.emplace(id, lru_.begin());
  counters_.live_sessions++;
  return id;
}

bool SessionRegistry::find(std::string_view id) {
  const auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return false;
  lru_.splice(lru_.begin(), lru_, it->second);  // iterators stay valid
  return true;
}

bool SessionRegistry::close(std::string_view id) {
  const auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return false;
  end(it->second);
  return true;
}

// Closing and evicting share this path, so under session-retain an evicted session is
// kept as well: the bug is in the teardown, whichever way a session ends.
void SessionRegistry::end(Lru::iterator it) {
  std::unique_ptr<detail::Session> session = std::move(*it);
  by_id_.erase(session->id());
  lru_.erase(it);
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
