// End to end against a real third-party server: @modelcontextprotocol/server-everything
// (Node.js), installed by `ci/setup --test` into build/tools. It sends notifications
// around initialize and offers many tools; mcpleak must cope and give a verdict.
#include "tests/e2e/e2e_support.h"
#include "tests/support/catch.h"

TEST_CASE("server-everything: initialize, list tools, loop echo for 30 s", "[e2e][third-party]") {
  const std::string server = MCPLEAK_BINARY_DIR "/tools/node_modules/.bin/mcp-server-everything";
  INFO("install it with: ci/setup --test");
  REQUIRE(std::filesystem::exists(server));
  auto r = e2e::run_mcpleak("server-everything",
                            {"run", "--tool", "echo", "--args", R"({"message":"hello"})", "--rate", "5",
                             "--duration", "30s", "--no-early-stop", "--quiet"},
                            {server, "stdio"});
  INFO(r.stderr_text);
  REQUIRE(r.report.is_object());
  CHECK(r.report["verdict"] != "server-failed");
  CHECK(r.exit_code != 3);
  CHECK(r.report["calls"]["ok"].get<int>() >= 100);
  CHECK(r.report["calls"]["failed"].get<int>() == 0);
  // The v1 SDK (1.32) has no server/discover: mcpleak falls back to the handshake and
  // agrees on the newest version of that era.
  CHECK(r.report["protocol_version"] == "2025-11-25");
  CHECK(r.report["protocol_era"] == "initialize");
  CHECK(r.report["elapsed_s"].get<double>() >= 29);
  CHECK(e2e::no_server_left(r));
}
