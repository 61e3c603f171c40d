// Streamable HTTP session bookkeeping without HTTP: ids, lookup, close, the live cap, idle
// expiry, and the session-retain and session-abandon-retain leaks, checked through the
// registry and the shared counters. Idle time comes from a fake clock, never from sleeps.
#include "reference/session_registry.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
constexpr std::int64_t kSessionBytes = 64 * 1024;  // at scale 1

InjectionConfig retaining() {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(LeakClass::session_retain);
  return cfg;
}

InjectionConfig abandon_retaining() {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(LeakClass::session_abandon_retain);
  return cfg;
}

using std::chrono::milliseconds;
using std::chrono::seconds;

// A clock that moves only when told to.
struct FakeClock {
  SessionRegistry::Clock::time_point t{};
  SessionRegistry::NowFn fn() {
    return [this] { return t; };
  }
  void advance(milliseconds by) { t += by; }
};

constexpr milliseconds kTimeout = seconds(30);
}  // namespace

TEST_CASE("parse_injections knows session-retain", "[reference]") {
  auto cfg = parse_injections("session-retain", 1);
  REQUIRE(cfg);
  CHECK(cfg->has(LeakClass::session_retain));
  CHECK_FALSE(cfg->has(LeakClass::observer_retry));
  CHECK(leak_class_name(LeakClass::session_retain) == "session-retain");
  // ~10 MB/min at 2.5 sessions/s
  CHECK(bytes_per_leak_event(LeakClass::session_retain, 1) == 64 * 1024);
  CHECK(bytes_per_leak_event(LeakClass::session_retain, 1) * 150 > 9'000'000);
}

TEST_CASE("sessions open with distinct hex ids and are found until closed", "[reference]") {
  Counters counters;
  SessionRegistry registry(counters, {});
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    const std::string id = registry.open();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 20);
  CHECK(registry.live_count() == 20);
  CHECK(counters.live_sessions == 20);
  CHECK(counters.session_bytes == 20 * kSessionBytes);

  const std::string id = *ids.begin();
  CHECK(registry.find(id));
  CHECK_FALSE(registry.find("not-a-session"));
  CHECK(registry.close(id));
  CHECK_FALSE(registry.find(id));
  CHECK_FALSE(registry.close(id));  // a second DELETE is unknown
  CHECK(registry.live_count() == 19);
  CHECK(counters.live_sessions == 19);
  CHECK(counters.session_bytes == 19 * kSessionBytes);
}

TEST_CASE("fixed: closing frees the session's bytes and retains nothing", "[reference]") {
  Counters counters;
  {
    SessionRegistry registry(counters, {});
    for (int i = 0; i < 10; ++i) CHECK(registry.close(registry.open()));
    CHECK(registry.live_count() == 0);
    CHECK(registry.retained_count() == 0);
    CHECK(counters.session_bytes == 0);
    CHECK(counters.retained_sessions == 0);
    CHECK(counters.leaked_bytes() == 0);
    CHECK(counters.injection(LeakClass::session_retain).events == 0);
  }
  CHECK(counters.all_released());
}

TEST_CASE("session-retain: closed sessions stay allocated until shutdown", "[reference]") {
  Counters counters;
  {
    SessionRegistry registry(counters, retaining());
    const std::string kept = registry.open();
    for (int i = 0; i < 10; ++i) CHECK(registry.close(registry.open()));
    CHECK(registry.live_count() == 1);
    CHECK(registry.retained_count() == 10);
    CHECK(registry.find(kept));
    // Live bytes count only the open session; the ten closed ones are leaked bytes.
    CHECK(counters.live_sessions == 1);
    CHECK(counters.session_bytes == kSessionBytes);
    CHECK(counters.retained_sessions == 10);
    CHECK(counters.injection(LeakClass::session_retain).events == 10);
    CHECK(counters.injection(LeakClass::session_retain).bytes == 10 * kSessionBytes);
    CHECK(counters.leaked_bytes() == 10 * kSessionBytes);
    CHECK_FALSE(counters.all_released());
  }
  CHECK(counters.all_released());
  CHECK(counters.leaked_bytes() == 0);
}

TEST_CASE("the live cap evicts the least recently used session", "[reference]") {
  Counters counters;
  SessionRegistry registry(counters, {}, 3);
  const std::string a = registry.open();
  const std::string b = registry.open();
  const std::string c = registry.open();
  CHECK(registry.find(a));  // a is now more recent than b
  const std::string d = registry.open();
  CHECK(registry.live_count() == 3);
  CHECK_FALSE(registry.find(b));
  CHECK(registry.find(a));
  CHECK(registry.find(c));
  CHECK(registry.find(d));
  // A client that never closes cannot grow the server past the cap.
  for (int i = 0; i < 50; ++i) (void)registry.open();
  CHECK(registry.live_count() == 3);
  CHECK(counters.live_sessions == 3);
  CHECK(counters.session_bytes == 3 * kSessionBytes);
  CHECK(registry.retained_count() == 0);
}

TEST_CASE("session-retain: evicted sessions are retained too", "[reference]") {
  Counters counters;
  SessionRegistry registry(counters, retaining(), 2);
  for (int i = 0; i < 5; ++i) (void)registry.open();
  CHECK(registry.live_count() == 2);
  CHECK(registry.retained_count() == 3);
  CHECK(counters.retained_sessions == 3);
  CHECK(counters.injection(LeakClass::session_retain).bytes == 3 * kSessionBytes);
}

TEST_CASE("session bytes follow the injection scale", "[reference]") {
  Counters counters;
  InjectionConfig cfg;
  cfg.scale = 0.5;
  SessionRegistry registry(counters, cfg);
  CHECK(registry.bytes_per_session() == 32 * 1024);
  (void)registry.open();
  CHECK(counters.session_bytes == 32 * 1024);
}

TEST_CASE("diagnostics report live and retained sessions", "[reference]") {
  Counters counters;
  SessionRegistry registry(counters, retaining());
  (void)registry.open();
  CHECK(registry.close(registry.open()));
  const auto d = diagnostics_json(counters, retaining().mask);
  CHECK(d["live_sessions"] == 1);
  CHECK(d["retained_sessions"] == 1);
  CHECK(d["session_bytes"] == kSessionBytes);
  CHECK(d["leaked_bytes"] == kSessionBytes);
  CHECK(d["injections"]["session-retain"]["active"] == true);
  CHECK(d["injections"]["session-retain"]["events"] == 1);
  CHECK(d["injections"]["observer-retry"]["active"] == false);
  // Existing fields keep their names.
  for (const char* key : {"observers", "elements", "snapshots", "cache_bytes"}) {
    CHECK(d.contains(key));
  }
}

TEST_CASE("parse_injections knows session-abandon-retain", "[reference]") {
  auto cfg = parse_injections("session-abandon-retain", 1);
  REQUIRE(cfg);
  CHECK(cfg->has(LeakClass::session_abandon_retain));
  CHECK_FALSE(cfg->has(LeakClass::session_retain));
  CHECK(leak_class_name(LeakClass::session_abandon_retain) == "session-abandon-retain");
  CHECK(bytes_per_leak_event(LeakClass::session_abandon_retain, 1) == 64 * 1024);
  CHECK(bytes_per_leak_event(LeakClass::session_abandon_retain, 4) == 256 * 1024);
  auto both = parse_injections("session-retain,session-abandon-retain", 1);
  REQUIRE(both);
  CHECK(both->has(LeakClass::session_retain));
  CHECK(both->has(LeakClass::session_abandon_retain));
  // The error lists every class, the new one included.
  auto bad = parse_injections("session-forget", 1);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("session-abandon-retain") != std::string::npos);
}

TEST_CASE("parse_idle_timeout reads ms, s, m and h and rejects the rest", "[reference]") {
  auto ms = parse_idle_timeout("500ms");
  REQUIRE(ms);
  CHECK(*ms == milliseconds(500));
  auto s = parse_idle_timeout("30s");
  REQUIRE(s);
  CHECK(*s == seconds(30));
  auto m = parse_idle_timeout("2m");
  REQUIRE(m);
  CHECK(*m == seconds(120));
  auto h = parse_idle_timeout("24h");
  REQUIRE(h);
  CHECK(*h == std::chrono::hours(24));
  for (const char* bad : {"", "30", "0s", "-5s", "1.5s", "30 s", "s", "25h", "30sec",
                          "99999999999999999999999s"}) {
    INFO(bad);
    auto r = parse_idle_timeout(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mcpleak::Errc::usage);
  }
  CHECK(SessionRegistry::kDefaultIdleTimeout == seconds(30));
}

TEST_CASE("fixed: sessions idle past the timeout are expired and freed", "[reference]") {
  Counters counters;
  FakeClock clock;
  {
    SessionRegistry registry(counters, {}, SessionRegistry::kDefaultCapacity, kTimeout,
                             clock.fn());
    std::vector<std::string> abandoned;
    for (int i = 0; i < 5; ++i) abandoned.push_back(registry.open());
    clock.advance(seconds(10));
    const std::string busy = registry.open();
    clock.advance(seconds(19));
    CHECK(registry.expire_idle() == 0);  // 29 s idle: not yet
    CHECK(registry.live_count() == 6);

    clock.advance(seconds(1));  // the five are idle for exactly the timeout
    CHECK(registry.expire_idle() == 5);
    CHECK(registry.live_count() == 1);
    CHECK(counters.live_sessions == 1);
    CHECK(counters.session_bytes == kSessionBytes);
    CHECK(counters.abandoned_sessions == 0);
    CHECK(counters.leaked_bytes() == 0);
    CHECK(registry.abandoned_count() == 0);
    CHECK(registry.retained_count() == 0);
    for (const auto& id : abandoned) CHECK_FALSE(registry.find(id));  // expired ids are 404

    // Use resets idleness: `busy` survives as long as it is used within the timeout.
    for (int i = 0; i < 5; ++i) {
      clock.advance(seconds(25));
      CHECK(registry.find(busy));
      CHECK(registry.expire_idle() == 0);
    }
    clock.advance(kTimeout);
    CHECK(registry.expire_idle() == 1);
    CHECK(registry.live_count() == 0);
    CHECK(counters.session_bytes == 0);
  }
  CHECK(counters.all_released());
}

TEST_CASE("fixed: abandoned sessions stay bounded however many are opened", "[reference]") {
  Counters counters;
  FakeClock clock;
  SessionRegistry registry(counters, {}, SessionRegistry::kDefaultCapacity, kTimeout,
                           clock.fn());
  // 1000 abandoned sessions at 2.5 per second, expiry ticking every 100 ms.
  std::int64_t most_live = 0;
  for (int i = 0; i < 1000; ++i) {
    (void)registry.open();
    for (int tick = 0; tick < 4; ++tick) {
      clock.advance(milliseconds(100));
      (void)registry.expire_idle();
    }
    most_live = std::max(most_live, counters.live_sessions.load());
  }
  // 30 s of sessions at 2.5/s, never the cap.
  CHECK(most_live <= 76);
  CHECK(most_live >= 74);
  CHECK(counters.session_bytes == counters.live_sessions * kSessionBytes);
  CHECK(counters.leaked_bytes() == 0);
}

TEST_CASE("session-abandon-retain: idle sessions are never expired", "[reference]") {
  Counters counters;
  FakeClock clock;
  {
    SessionRegistry registry(counters, abandon_retaining(), SessionRegistry::kDefaultCapacity,
                             kTimeout, clock.fn());
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(registry.open());
    clock.advance(seconds(31));
    CHECK(registry.expire_idle() == 10);
    CHECK(registry.expire_idle() == 0);  // counted once
    clock.advance(std::chrono::hours(1));
    CHECK(registry.expire_idle() == 0);

    // Still live and findable: the expiry never happened. Their bytes are leaked bytes.
    CHECK(registry.live_count() == 10);
    CHECK(registry.abandoned_count() == 10);
    CHECK(counters.live_sessions == 10);
    CHECK(counters.abandoned_sessions == 10);
    CHECK(counters.session_bytes == 0);
    CHECK(counters.injection(LeakClass::session_abandon_retain).events == 10);
    CHECK(counters.injection(LeakClass::session_abandon_retain).bytes == 10 * kSessionBytes);
    CHECK(counters.leaked_bytes() == 10 * kSessionBytes);
    CHECK(counters.retained_sessions == 0);
    CHECK_FALSE(counters.all_released());

    // A client that does come back makes its session an ordinary live one again.
    CHECK(registry.find(ids[0]));
    CHECK(registry.abandoned_count() == 9);
    CHECK(counters.abandoned_sessions == 9);
    CHECK(counters.session_bytes == kSessionBytes);
    CHECK(counters.injection(LeakClass::session_abandon_retain).bytes == 9 * kSessionBytes);
    CHECK(counters.injection(LeakClass::session_abandon_retain).events == 10);
  }
  // Freed at shutdown, like every injected leak.
  CHECK(counters.all_released());
  CHECK(counters.leaked_bytes() == 0);
}

TEST_CASE("session-abandon-retain: the cap does not end sessions either", "[reference]") {
  Counters counters;
  FakeClock clock;
  SessionRegistry registry(counters, abandon_retaining(), 3, kTimeout, clock.fn());
  const std::string first = registry.open();
  for (int i = 0; i < 20; ++i) (void)registry.open();
  CHECK(registry.live_count() == 21);
  CHECK(registry.find(first));
  CHECK(counters.session_bytes == 21 * kSessionBytes);
}

TEST_CASE("DELETE frees at once in fixed axref and under session-abandon-retain",
          "[reference]") {
  const InjectionConfig fixed{};
  for (const InjectionConfig& cfg : {fixed, abandon_retaining()}) {
    INFO("mask " << cfg.mask);
    Counters counters;
    FakeClock clock;
    {
      SessionRegistry registry(counters, cfg, SessionRegistry::kDefaultCapacity, kTimeout,
                               clock.fn());
      // Delete-only traffic: nothing grows, whatever the time.
      for (int i = 0; i < 50; ++i) {
        CHECK(registry.close(registry.open()));
        clock.advance(seconds(1));
        (void)registry.expire_idle();
      }
      CHECK(registry.live_count() == 0);
      CHECK(counters.session_bytes == 0);
      CHECK(counters.leaked_bytes() == 0);
      CHECK(counters.injection(LeakClass::session_abandon_retain).events == 0);

      // An abandoned session closed late is freed too.
      const std::string late = registry.open();
      clock.advance(seconds(45));
      (void)registry.expire_idle();
      const bool still_live = registry.live_count() == 1;
      CHECK(still_live == cfg.has(LeakClass::session_abandon_retain));
      CHECK(registry.close(late) == still_live);
      CHECK(registry.live_count() == 0);
      CHECK(registry.abandoned_count() == 0);
      CHECK(registry.retained_count() == 0);
      CHECK(counters.abandoned_sessions == 0);
      CHECK(counters.leaked_bytes() == 0);
      CHECK(counters.all_released());
    }
    CHECK(counters.all_released());
  }
}

TEST_CASE("session-retain: expired sessions are retained too", "[reference]") {
  Counters counters;
  FakeClock clock;
  SessionRegistry registry(counters, retaining(), SessionRegistry::kDefaultCapacity, kTimeout,
                           clock.fn());
  for (int i = 0; i < 4; ++i) (void)registry.open();
  clock.advance(kTimeout);
  CHECK(registry.expire_idle() == 4);
  CHECK(registry.live_count() == 0);
  CHECK(registry.retained_count() == 4);
  CHECK(counters.retained_sessions == 4);
  CHECK(counters.abandoned_sessions == 0);
  CHECK(counters.injection(LeakClass::session_retain).bytes == 4 * kSessionBytes);
}

TEST_CASE("both session leaks: an abandoned session closed late is retained", "[reference]") {
  Counters counters;
  FakeClock clock;
  InjectionConfig cfg = retaining();
  cfg.mask |= abandon_retaining().mask;
  {
    SessionRegistry registry(counters, cfg, SessionRegistry::kDefaultCapacity, kTimeout,
                             clock.fn());
    const std::string id = registry.open();
    clock.advance(kTimeout);
    CHECK(registry.expire_idle() == 1);
    CHECK(registry.close(id));
    CHECK(counters.abandoned_sessions == 0);
    CHECK(counters.retained_sessions == 1);
    CHECK(counters.injection(LeakClass::session_abandon_retain).bytes == 0);
    CHECK(counters.injection(LeakClass::session_retain).bytes == kSessionBytes);
  }
  CHECK(counters.all_released());
}

TEST_CASE("diagnostics report abandoned sessions", "[reference]") {
  Counters counters;
  FakeClock clock;
  SessionRegistry registry(counters, abandon_retaining(), SessionRegistry::kDefaultCapacity,
                           kTimeout, clock.fn());
  (void)registry.open();
  (void)registry.open();
  clock.advance(kTimeout);
  (void)registry.expire_idle();
  (void)registry.open();
  const auto d = diagnostics_json(counters, abandon_retaining().mask);
  CHECK(d["live_sessions"] == 3);
  CHECK(d["abandoned_sessions"] == 2);
  CHECK(d["retained_sessions"] == 0);
  CHECK(d["session_bytes"] == kSessionBytes);
  CHECK(d["leaked_bytes"] == 2 * kSessionBytes);
  CHECK(d["injections"]["session-abandon-retain"]["active"] == true);
  CHECK(d["injections"]["session-abandon-retain"]["events"] == 2);
  CHECK(d["injections"]["session-abandon-retain"]["bytes"] == 2 * kSessionBytes);
  CHECK(d["injections"]["session-retain"]["active"] == false);
}
