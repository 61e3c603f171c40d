// parse_malloc_history_call_tree on a hand-made -callTree report in the layout it
// shares with sample(1) (tests/fixtures/malloc_history/; no public capture was found).
// Expected values are read off the fixture text.
#include "probes/malloc_history_parse.h"

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

TEST_CASE("malloc_history -callTree: the stacks whose own allocations are live, heaviest first",
          "[probes][macos-tools]") {
  auto t = parse_malloc_history_call_tree(read_tool_fixture("malloc_history/call_tree_handmade.txt"));
  REQUIRE(t);
  CHECK(t->total_count == 5060);
  CHECK(t->total_bytes == static_cast<std::uint64_t>(3.17 * 1024 * 1024 + 0.5));
  CHECK(t->skipped_lines == 0);
  REQUIRE(t->stacks.size() >= 3);
  // TouchedBuffer's 1.56M (50 blocks) under retain_elements is the heaviest own node.
  CHECK(t->stacks[0].bytes == static_cast<std::uint64_t>(1.56 * 1024 * 1024 + 0.5));
  CHECK(t->stacks[0].count == 50);
  CHECK(t->stacks[0].frames.back() == "mcpleak::axref::TouchedBuffer::TouchedBuffer(unsigned long)  (in axref) + 40");
  CHECK(t->stacks[0].frames.front() == "start  (in dyld) + 2544");
  // walk's 4800 allocations are charged to operator new below it, walk itself owns none.
  CHECK(t->stacks[1].frames.back().rfind("operator new", 0) == 0);
  CHECK(t->stacks[1].frames[t->stacks[1].frames.size() - 2].rfind("walk(", 0) == 0);
  CHECK(t->stacks[1].count == 4800);
}

TEST_CASE("malloc_history: a cap on stacks, a skipped line, and no tree at all", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("malloc_history/call_tree_handmade.txt");
  CHECK(parse_malloc_history_call_tree(text, 1)->stacks.size() == 1);
  const auto at = text.find("+   ! 70 (18.0K)");
  REQUIRE(at != std::string::npos);
  text.replace(at, 16, "+   ! seventy (?)");
  auto t = parse_malloc_history_call_tree(text);
  REQUIRE(t);
  CHECK(t->skipped_lines == 1);
  auto none = parse_malloc_history_call_tree("axref(1) MallocStackLogging: recording\nCall graph:\n");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == Errc::parse);
}
