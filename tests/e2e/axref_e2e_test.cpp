// End to end: the real mcpleak binary against axref (synthetic backend), fixed and with
// each injected leak class (issue 4's acceptance). The injected sizes are axref's
// documented truth (reference/README.md: 32 KiB per Snapshot or call, 16 KiB per 0.1 s
// retry tick, times --inject-scale), so the slopes are checked against them, not against
// what mcpleak printed last time.
#include <cmath>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::axref_bin;
using e2e::run_mcpleak;

namespace {

constexpr double kKiB = 1024.0;
constexpr double kScale = 4;  // --inject-scale: a leak decisive within ~10 s at 10 calls/s
constexpr double kBudget = 1e6;  // mcpleak's default budget, 1 MB/min

// Injected runs stop early once the slope is decisive; these only bound the run time.
const std::vector<std::string> kLeakRun = {"--rate", "10", "--duration", "60s", "--min-duration", "10s",
                                           "--warmup", "2s", "--quiet"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> axref(std::vector<std::string> extra = {}) {
  return concat({axref_bin()}, extra);
}

std::vector<std::string> injected(const std::string& cls) {
  return axref({"--inject", cls, "--inject-scale", std::to_string(kScale)});
}

// A Diagnostics counter from report.json: `which` is "per_min" or "end".
double diag(const e2e::Run& r, const char* which, const char* counter) {
  const auto& d = r.report["diagnostics"][which];
  REQUIRE(d.contains(counter));
  return d[counter].get<double>();
}

std::string summary(const e2e::Run& r) {
  if (!r.report.is_object()) return "no report.json; stderr: " + r.stderr_text;
  return "verdict " + r.report.value("verdict", std::string("?")) + ", " + r.report.value("reason", std::string()) +
         ", verdict_at_s " + r.report["verdict_at_s"].dump() + ", diagnostics " + r.report["diagnostics"].dump() +
         "; stderr: " + r.stderr_text;
}

}  // namespace

TEST_CASE("axref fixed is bounded on snapshot-finder-safari with a bounded observer count", "[e2e][axref]") {
  auto r = run_mcpleak("axref-fixed-finder-safari",
                       {"run", "--scenario", "snapshot-finder-safari", "--rate", "10", "--duration", "90s",
                        "--min-duration", "20s", "--warmup", "3s", "--quiet"},
                       axref());
  INFO(summary(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.report["verdict"] == "bounded");
  CHECK(std::fabs(r.report["growth"]["bytes_per_min"].get<double>()) < kBudget);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  // Both apps were really switched to and read: well over one loop per second.
  CHECK(diag(r, "end", "snapshots") >= 100);
  // One observer per app in the bounded cache, however many snapshots were served.
  CHECK(diag(r, "end", "observers") <= 2);
  CHECK(std::fabs(diag(r, "per_min", "observers")) < 1);
  CHECK(diag(r, "end", "elements") == 0);
  // A reference server speaks the newest protocol: no handshake, server/discover.
  CHECK(r.report["protocol_version"] == "2026-07-28");
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("axref fixed is bounded on idle", "[e2e][axref]") {
  auto r = run_mcpleak("axref-fixed-idle",
                       {"run", "--scenario", "idle", "--duration", "60s", "--min-duration", "20s", "--warmup", "2s",
                        "--quiet"},
                       axref());
  INFO(summary(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.report["verdict"] == "bounded");
  CHECK(std::fabs(r.report["growth"]["bytes_per_min"].get<double>()) < kBudget);
  CHECK(diag(r, "end", "observers") == 0);
  CHECK(diag(r, "per_min", "observers") == 0);
  CHECK(e2e::no_server_left(r));
}

namespace {

// snapshot-loop against axref with one leak class injected: must be leaking, by calls.
e2e::Run run_leaking_snapshot_loop(const std::string& inject) {
  auto r = run_mcpleak("axref-" + inject, concat({"run", "--scenario", "snapshot-loop"}, kLeakRun),
                       injected(inject));
  INFO(summary(r));
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["verdict"] == "leaking");
  CHECK(r.report["growth"]["driver"] == "calls");
  return r;
}

}  // namespace

TEST_CASE("axref observer-per-snapshot is leaking on snapshot-loop, one observer per Snapshot", "[e2e][axref]") {
  auto r = run_leaking_snapshot_loop("observer-per-snapshot");
  INFO(summary(r));
  const double truth = 32 * kKiB * kScale;
  CHECK(std::fabs(r.report["growth"]["bytes_per_call"].get<double>() - truth) / truth < 0.20);
  // Every Snapshot leaves an observer behind: the counter rises with the snapshots.
  CHECK(diag(r, "per_min", "observers") > 0.9 * diag(r, "per_min", "snapshots"));
  CHECK(diag(r, "end", "observers") >= 50);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("axref element-retain is leaking on snapshot-loop, elements rising", "[e2e][axref]") {
  auto r = run_leaking_snapshot_loop("element-retain");
  INFO(summary(r));
  // 32 KiB x scale per Snapshot plus the element references themselves.
  CHECK(r.report["growth"]["bytes_per_call"].get<double>() > 0.8 * 32 * kKiB * kScale);
  CHECK(diag(r, "per_min", "elements") > 0);
  CHECK(std::fabs(diag(r, "per_min", "observers")) < 1);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("axref undrained-pool is leaking on snapshot-loop", "[e2e][axref]") {
  auto r = run_leaking_snapshot_loop("undrained-pool");
  INFO(summary(r));
  const double truth = 32 * kKiB * kScale;
  CHECK(std::fabs(r.report["growth"]["bytes_per_call"].get<double>() - truth) / truth < 0.20);
  CHECK(std::fabs(diag(r, "per_min", "observers")) < 1);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("axref observer-retry is leaking on idle, driven by time", "[e2e][axref]") {
  auto r = run_mcpleak("axref-observer-retry",
                       {"run", "--scenario", "idle", "--duration", "60s", "--min-duration", "10s", "--warmup", "2s",
                        "--quiet"},
                       injected("observer-retry"));
  INFO(summary(r));
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["verdict"] == "leaking");
  CHECK(r.report["growth"]["driver"] == "time");
  // One 16 KiB x scale observer per 0.1 s tick: 600 per minute with no calls at all.
  const double truth = 16 * kKiB * kScale * 600;
  CHECK(std::fabs(r.report["growth"]["bytes_per_min"].get<double>() - truth) / truth < 0.25);
  CHECK(diag(r, "per_min", "observers") > 300);
  CHECK(diag(r, "end", "snapshots") == 0);
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("axref switching to an app that does not exist is not exercised, exit 4", "[e2e][axref][exercise]") {
  // The motivating CI case: every App/Snapshot call fails (no such app, or no
  // Accessibility permission) and the gate must not pass. The exact command of issue 12.
  auto r = run_mcpleak("axref-no-such-app",
                       {"run", "--tool", "App", "--args", R"({"mode":"switch","name":"NoSuchApp"})", "--rate", "5",
                        "--duration", "40s", "--quiet"},
                       axref({"--backend", "synthetic"}));
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 4);
  CHECK(r.report["verdict"] == "inconclusive");
  const std::string reason = r.report.value("reason", "");
  CHECK(reason.find("not exercised: ") == 0);
  CHECK(reason.find("calls failed (App: ") != std::string::npos);
  CHECK(reason.find("NoSuchApp") != std::string::npos);
  CHECK(r.report["exercise"]["calls"]["ok"] == 0);
  CHECK(e2e::no_server_left(r));
}
