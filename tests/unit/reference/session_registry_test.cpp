// Streamable HTTP session bookkeeping without HTTP: ids, lookup, close, the live cap and
// the session-retain leak, checked through the registry and the shared counters.
#include "reference/session_registry.h"

#include <set>

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
constexpr std::int64_t kSessionBytes = 64 * 1024;  // at scale 1

InjectionConfig retaining() {
  InjectionConfig cfg;
  cfg.mask = 1u << static_cast<unsigned>(LeakClass::session_retain);
  return cfg;
}
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
