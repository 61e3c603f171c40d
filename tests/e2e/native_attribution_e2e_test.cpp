// Where it grows in native servers, end to end: the real mcpleak binary with
// `--attribute native` runs real servers under the real heaptrack (Debian's heaptrack
// 1.4.0, installed by ci/setup --test): axref with element-retain injected and fixed,
// the C++ test server leaking at a known line, and the same server behind a shell
// wrapper, which heaptrack's preload does not reach.
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

using e2e::run_mcpleak;

namespace {

const std::string kTestServer = MCPLEAK_BINARY_DIR "/tests/servers/mcp_test_server";
const std::string kTestServerSource = MCPLEAK_SOURCE_DIR "/tests/servers/mcp_test_server.cpp";
const std::string kAxref = MCPLEAK_BINARY_DIR "/reference/axref";
const std::string kLoopOnly = MCPLEAK_SOURCE_DIR "/tests/e2e/scenarios/loop-only.json";

// 20 calls a second, a checkpoint every 40 calls, 5 of them: the attribution run needs
// 160 calls after warm-up plus heaptrack's catch-up at each checkpoint (seconds).
// `scenario` is "--scenario X" or more; the loop-only scenario calls TOOL.
std::vector<std::string> native(std::vector<std::string> scenario) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), scenario.begin(), scenario.end());
  for (const char* a : {"--rate", "20", "--warmup", "2s", "--min-duration", "5s", "--duration", "90s", "--attribute",
                        "native", "--attribute-every", "40", "--attribute-checkpoints", "5", "--quiet"}) {
    args.push_back(a);
  }
  return args;
}

std::vector<std::string> loop(const std::string& tool) { return {"--scenario", kLoopOnly, "--var", "TOOL=" + tool}; }
// snapshot-loop asks axref's Diagnostics tool every 5 s: what axref says it retains.
const std::vector<std::string> kSnapshotLoop = {"--scenario", "snapshot-loop"};

int line_of(const std::string& file, const std::string& text) {
  std::ifstream in(file);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.find(text) != std::string::npos) return n;
  }
  return 0;
}

const nlohmann::json* site_with_function(const nlohmann::json& where, const std::string& function) {
  for (const auto& s : where["sites"]) {
    if (s["function"].get<std::string>().find(function) != std::string::npos) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a native leak at a known line is named by function, file and line, with bytes per call",
          "[e2e][attribution][native]") {
  auto r = run_mcpleak("attr-native-leak", native(loop("echo")), {kTestServer, "--leak-per-call", "65536"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& w = r.report["where_it_grows"];
  INFO(w.dump(2));
  REQUIRE(w["status"] == "ok");
  REQUIRE(w["sites"].size() >= 1);
  const auto& top = w["sites"][0];
  CHECK(top["function"] == "touched_block");
  CHECK(top["stack"][0]["file"] == kTestServerSource);
  CHECK(top["stack"][0]["line"] == line_of(kTestServerSource, "std::malloc(bytes)"));
  CHECK(top["stack"][1]["function"] == "leak");  // inlined into its caller, still named
  CHECK(top["bytes_per_call"].get<double>() == Approx(65536).epsilon(0.1));
  CHECK(top["blocks_per_call"].get<double>() == Approx(1.0).epsilon(0.1));
  CHECK(w["explained_fraction"].get<double>() == Approx(1.0).epsilon(0.3));
  REQUIRE(w["processes"].size() == 1);
  CHECK(w["processes"][0]["runtime"] == "native");
  CHECK(r.stdout_text.find("\nwhere it grows: touched_block (mcp_test_server.cpp:") != std::string::npos);
  // heaptrack's own file is kept for heaptrack_print, and complete (its trailer written).
  const std::string interpreted = e2e::read_text(r.out_dir + "/attribution/heaptrack.interpreted");
  CHECK(interpreted.find("\n# strings: ") != std::string::npos);
  CHECK(e2e::no_server_left(r));
  CHECK(e2e::no_server_left(e2e::load_run(r.out_dir + "/attribution")));
}

TEST_CASE("axref with element-retain: the retained elements and the retaining function's buffer are its sites",
          "[e2e][attribution][native]") {
  auto r = run_mcpleak("attr-native-axref", native(kSnapshotLoop), {kAxref, "--inject", "element-retain"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& w = r.report["where_it_grows"];
  INFO(w.dump(2));
  REQUIRE(w["status"] == "ok");
  // What axref says it retains per Snapshot (its Diagnostics counters, verdict run).
  REQUIRE(r.report["diagnostics"].is_object());
  const auto& per_min = r.report["diagnostics"]["per_min"];
  const double snapshots = per_min["snapshots"].get<double>();
  REQUIRE(snapshots > 0);
  const double buffer_per_call = per_min["leaked_bytes"].get<double>() / snapshots;   // 32 KiB at scale 1
  const double elements_per_call = per_min["elements"].get<double>() / snapshots;
  // Injector::retain_elements keeps a buffer per call: named as the allocating frame's caller.
  const nlohmann::json* buffer = site_with_function(w, "TouchedBuffer::TouchedBuffer");
  REQUIRE(buffer);
  CHECK((*buffer)["stack"][1]["function"].get<std::string>().find("Injector::retain_elements") != std::string::npos);
  CHECK((*buffer)["bytes_per_call"].get<double>() == Approx(buffer_per_call).epsilon(0.3));
  // ...and the walk's element references, allocated in the synthetic backend's walk().
  const nlohmann::json* elements = site_with_function(w, "walk");
  REQUIRE(elements);
  CHECK((*elements)["stack"][0]["file"].get<std::string>().find("backend_synthetic.cpp") != std::string::npos);
  CHECK((*elements)["blocks_per_call"].get<double>() == Approx(elements_per_call).epsilon(0.3));
  // Every growing site is axref's own code, and together they explain the footprint.
  for (const auto& s : w["sites"]) {
    INFO(s["site"]);
    CHECK(s["stack"][0]["file"].get<std::string>().find("/reference/") != std::string::npos);
  }
  CHECK(w["explained_fraction"].get<double>() == Approx(1.0).epsilon(0.3));
  CHECK(e2e::no_server_left(r));
}

TEST_CASE("the fixed axref under heaptrack shows no growing site", "[e2e][attribution][native]") {
  auto r = run_mcpleak("attr-native-axref-fixed", native(kSnapshotLoop), {kAxref});
  INFO(r.stderr_text);
  CHECK(r.exit_code == 0);
  const auto& w = r.report["where_it_grows"];
  INFO(w.dump(2));
  REQUIRE(w["status"] == "ok");
  CHECK(w["sites"].empty());
  CHECK(w["processes"][0]["checkpoints"].get<int>() == 5);
}

TEST_CASE("a native server behind a shell wrapper: heaptrack reaches the wrapper only, and the report says so",
          "[e2e][attribution][native]") {
  // dash forks the command (more follows it), so the server is the wrapper's child.
  auto r = run_mcpleak("attr-native-wrapped", native(loop("echo")),
                       {"/bin/sh", "-c", "\"$0\" \"$@\"; exit $?", kTestServer, "--leak-per-call", "65536"});
  INFO(r.stderr_text);
  REQUIRE(r.exit_code == 1);
  const auto& w = r.report["where_it_grows"];
  INFO(w.dump(2));
  CHECK(site_with_function(w, "touched_block") == nullptr);
  const auto attribution = e2e::load_run(r.out_dir + "/attribution");
  bool said = false;
  for (const auto& warning : attribution.report["warnings"]) {
    said |= warning.get<std::string>().find("heaptrack instruments only the process it starts") != std::string::npos;
  }
  CHECK(said);
  CHECK(e2e::no_server_left(r));
}

#ifndef __APPLE__
TEST_CASE("the macOS-only attribution and class bounds are usage errors here, before any run",
          "[e2e][attribution][native]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "--tool", "echo", "--attribute", "macos", "--quiet"},
        std::vector<std::string>{"run", "--tool", "echo", "--bounded-class", "AX*", "--quiet"}}) {
    auto r = run_mcpleak("attr-macos-usage", args, {kTestServer});
    INFO(r.stderr_text);
    CHECK(r.exit_code == 2);
    CHECK(r.stderr_text.find("macOS") != std::string::npos);
    CHECK(r.report.is_null());  // nothing ran
  }
}
#endif
