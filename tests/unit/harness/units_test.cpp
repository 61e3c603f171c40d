// harness/runner/units: durations and growth budgets as people type them. Expected
// values are the unit definitions (KB = 1000 B, KiB = 1024 B, 1 min = 60 s).
#include <string>

#include "harness/runner/units.h"
#include "tests/support/catch.h"

using mcpleak::Errc;
using mcpleak::parse_budget_bytes_per_min;
using mcpleak::parse_duration_s;
using mcpleak::parse_fraction;

TEST_CASE("durations in ms, s, m, h and bare seconds", "[runner][units]") {
  struct Case {
    const char* text;
    double seconds;
  };
  const Case cases[] = {
      {"30s", 30},     {"30", 30},        {"30 sec", 30},     {"500ms", 0.5}, {"10m", 600},
      {"10min", 600},  {"1.5m", 90},      {"1h", 3600},       {"0", 0},       {" 45s ", 45},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto d = parse_duration_s(c.text);
    REQUIRE(d);
    CHECK(*d == Approx(c.seconds));
  }
}

TEST_CASE("bad durations are usage errors that quote the text", "[runner][units]") {
  for (const char* text : {"", "   ", "abc", "-5s", "-0.5", "10x", "10 parsecs", "s", "nan"}) {
    INFO("'" << text << "'");
    auto d = parse_duration_s(text);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == Errc::usage);
    CHECK(d.error().message.find("'" + std::string(text) + "'") != std::string::npos);
  }
}

TEST_CASE("budgets in decimal and binary units per minute, second, hour", "[runner][units]") {
  struct Case {
    const char* text;
    double bytes_per_min;
  };
  const Case cases[] = {
      {"1MB/min", 1e6},
      {"500KB/min", 500e3},
      {"500kB/min", 500e3},
      {"10MiB/min", 10.0 * 1024 * 1024},
      {"2MB/s", 2e6 * 60},
      {"1GB/h", 1e9 / 60},
      {"4KiB/m", 4096},
      {"1GiB/min", 1024.0 * 1024 * 1024},
      {"100B/min", 100},
      {"1MB", 1e6},   // no "/unit": per minute
      {"2048", 2048},  // no size unit: bytes
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto b = parse_budget_bytes_per_min(c.text);
    REQUIRE(b);
    CHECK(*b == Approx(c.bytes_per_min));
  }
}

TEST_CASE("bad budgets are usage errors that quote the text", "[runner][units]") {
  for (const char* text : {"", "MB/min", "-1MB/min", "1XB/min", "1MB/fortnight", "1MB/", "lots"}) {
    INFO("'" << text << "'");
    auto b = parse_budget_bytes_per_min(text);
    REQUIRE_FALSE(b);
    CHECK(b.error().code == Errc::usage);
    CHECK(b.error().message.find("'" + std::string(text) + "'") != std::string::npos);
  }
}

TEST_CASE("infinite amounts are not durations or budgets", "[runner][units]") {
  // std::stod accepts "inf"; a run of infinite length or an infinite budget would make
  // every verdict meaningless, so these must be rejected like NaN is.
  CHECK_FALSE(parse_duration_s("inf"));
  CHECK_FALSE(parse_duration_s("infinity s"));
  CHECK_FALSE(parse_budget_bytes_per_min("infMB/min"));
}

TEST_CASE("fractions as percentages or plain numbers", "[runner][units]") {
  CHECK(*parse_fraction("20%") == Approx(0.2));
  CHECK(*parse_fraction("0.2") == Approx(0.2));
  CHECK(*parse_fraction("0%") == 0);
  CHECK(*parse_fraction("100%") == Approx(1));
  for (const char* bad : {"", "abc", "120%", "1.5", "-5%", "20 percent"}) {
    INFO(bad);
    auto f = parse_fraction(bad);
    REQUIRE_FALSE(f);
    CHECK(f.error().code == Errc::usage);
  }
}

TEST_CASE("resource budgets: per call, per minute, allowance, off, over the defaults", "[runner][units]") {
  using mcpleak::parse_resource_budget;
  auto fds = parse_resource_budget("fds=0.5/call,+16");
  REQUIRE(fds);
  CHECK(fds->first == "fds");
  CHECK(fds->second.per_call == 0.5);
  CHECK(fds->second.allowance == 16);
  CHECK(fds->second.per_min == 0);
  auto threads = parse_resource_budget("threads=2/min");
  REQUIRE(threads);
  CHECK(threads->second.per_min == 2);
  CHECK(threads->second.allowance == 2);  // the default kept
  auto off = parse_resource_budget("processes=off");
  REQUIRE(off);
  CHECK(off->second.off);
  CHECK(parse_resource_budget("orphans=+2")->second.allowance == 2);
  for (const char* bad : {"fds", "fds=", "sockets=1/call", "fds=1/hour", "fds=-1/call", "fds=+", "fds=lots",
                          "mach_ports=1/call"}) {
    INFO(bad);
    auto r = parse_resource_budget(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::usage);
  }
}

TEST_CASE("sizes in decimal and binary units, and what is not a size", "[runner][units]") {
  struct Case {
    const char* text;
    double bytes;
  };
  const Case cases[] = {{"400MB", 400e6}, {"1.5GiB", 1.5 * 1024 * 1024 * 1024}, {"512KiB", 512 * 1024.0},
                        {"100 MB", 100e6}, {"4096", 4096}};
  for (const auto& c : cases) {
    INFO(c.text);
    auto b = mcpleak::parse_size_bytes(c.text);
    REQUIRE(b);
    CHECK(*b == Approx(c.bytes));
  }
  for (const char* text : {"", "lots", "400MB/min", "-3MB", "5 parsecs"}) {
    INFO("'" << text << "'");
    auto b = mcpleak::parse_size_bytes(text);
    REQUIRE_FALSE(b);
    CHECK(b.error().code == Errc::usage);
    CHECK(b.error().message.find("'" + std::string(text) + "'") != std::string::npos);
  }
}
