// harness/process/attach_targets: which processes --attach-name means, on made-up
// process lists (the matching is pure), and --attach on this test's own processes.
#include <unistd.h>

#include <vector>

#include "harness/process/attach_targets.h"
#include "tests/support/catch.h"

using mcpleak::ProcessEntry;

namespace {

// init -> shell (ran mcpleak with the pattern) -> mcpleak -> its guardian;
// launchd-like 1 -> uv -> python (the server), and an unrelated editor.
std::vector<ProcessEntry> machine() {
  return {{1, 0, "init", "/sbin/init"},
          {100, 1, "bash", "bash -c mcpleak run --attach-name macos-mcp"},
          {101, 100, "mcpleak", "mcpleak run --attach-name macos-mcp"},
          {102, 101, "mcpleak", "mcpleak run --attach-name macos-mcp"},
          {200, 1, "uv", "uv run macos-mcp"},
          {201, 200, "python3", "python3 -m macos-mcp"},
          {300, 1, "vim", "vim notes.txt"}};
}

}  // namespace

TEST_CASE("attach: a pattern names the topmost matching process, never mcpleak or its family",
          "[process][attach]") {
  auto roots = mcpleak::match_attach_pattern(machine(), "macos-mcp", 101);
  REQUIRE(roots);
  // uv and python both match; python's tree is inside uv's.
  CHECK(*roots == std::vector<pid_t>{200});
  auto by_name = mcpleak::match_attach_pattern(machine(), "pyth*", 101);
  REQUIRE(by_name);
  CHECK(*by_name == std::vector<pid_t>{201});
  auto none = mcpleak::match_attach_pattern(machine(), "safari", 101);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == mcpleak::Errc::usage);
  CHECK(none.error().message.find("'safari'") != std::string::npos);
  // Only mcpleak's own family matches: nothing to attach to.
  CHECK_FALSE(mcpleak::match_attach_pattern(machine(), "mcpleak", 101));
}

TEST_CASE("attach: pids must exist and must not be mcpleak or its ancestors", "[process][attach]") {
  const auto self = mcpleak::resolve_attach_targets({::getpid()}, {});
  REQUIRE_FALSE(self);
  CHECK(self.error().message.find("mcpleak itself") != std::string::npos);
  const auto gone = mcpleak::resolve_attach_targets({999999999}, {});
  REQUIRE_FALSE(gone);
  CHECK(gone.error().message.find("no such process") != std::string::npos);
  CHECK(mcpleak::process_exists(::getpid()));
}
