// harness/watch/watch_folder and evidence's table: where sessions are kept and what a
// crossing's processes.tsv says.
#include <cstdlib>

#include "harness/watch/evidence.h"
#include "harness/watch/watch_folder.h"
#include "tests/support/catch.h"

TEST_CASE("watch folder: a launcher's server is named by its package", "[watch][folder]") {
  using mcpleak::server_short_name;
  CHECK(server_short_name({"uvx", "macos-mcp"}) == "macos-mcp");
  CHECK(server_short_name({"npx", "-y", "@modelcontextprotocol/server-everything"}) == "server-everything");
  CHECK(server_short_name({"uv", "run", "my-server"}) == "my-server");
  CHECK(server_short_name({"/opt/bin/axref", "--inject", "element-retain"}) == "axref");
  CHECK(server_short_name({"python3", "-m"}) == "python3");
  CHECK(server_short_name({}) == "server");
  const std::string name = mcpleak::watch_folder_name({"uvx", "macos-mcp"});
  CHECK(name.find("-macos-mcp-") == 15);  // YYYYmmdd-HHMMSS first
}

#ifndef __APPLE__
TEST_CASE("watch folder: XDG_STATE_HOME, else ~/.local/state", "[watch][folder]") {
  const char* old_state = std::getenv("XDG_STATE_HOME");
  const std::string saved = old_state ? old_state : "";
  ::setenv("XDG_STATE_HOME", "/var/tmp/state", 1);
  CHECK(mcpleak::watch_base_dir() == "/var/tmp/state/mcpleak/watch");
  ::setenv("XDG_STATE_HOME", "relative/is/ignored", 1);
  CHECK(mcpleak::watch_base_dir() == std::string(std::getenv("HOME")) + "/.local/state/mcpleak/watch");
  if (old_state) ::setenv("XDG_STATE_HOME", saved.c_str(), 1);
  else ::unsetenv("XDG_STATE_HOME");
}
#endif

TEST_CASE("evidence: processes.tsv lists the tree, largest first", "[watch][evidence]") {
  mcpleak::Sample s;
  s.t_s = 12.5;
  s.calls = 40;
  s.tree.pids = {{10, 1, "uv", 1000, 2000, {}, {}, {}, {}, 3, 9}, {11, 10, "python3", 5000, 6000, 7, 4000, {}, {}, 5, {}}};
  s.tree.footprint_bytes = 6000;
  const std::string table = mcpleak::detail::processes_table(s);
  CHECK(table.find("# t_s=12.5") == 0);
  const auto python = table.find("11\t10\tpython3\t5000\t6000\t7\t4000\t5\t-");
  const auto uv = table.find("10\t1\tuv\t1000\t2000\t-\t-\t3\t9");
  REQUIRE(python != std::string::npos);
  REQUIRE(uv != std::string::npos);
  CHECK(python < uv);
}
