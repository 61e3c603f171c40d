// parse_leaks on leaks(1) reports 2.0 (hand-made), 3.0 and 4.0 (real captures), with and
// without -quiet, with MallocStackLogging lines first, with per-leak call stacks
// (tests/fixtures/leaks/, each citing its source). Expected values are read off the
// fixture text.
#include "probes/leaks_parse.h"

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

TEST_CASE("leaks 4.0 -quiet after MallocStackLogging noise: totals and the stack of the root leak",
          "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v4_quiet_msl_noise.txt"));
  REQUIRE(r);
  CHECK(r->report_version == "4.0");
  CHECK(r->pid == 14025);
  CHECK(r->nodes_malloced == 226u);
  CHECK(r->leak_count == 1);  // "1 leak for 16 total leaked bytes."
  CHECK(r->leaked_bytes == 16);
  REQUIRE(r->blocks.size() == 1);
  CHECK(r->blocks[0].address == 0x12e7040f0u);
  CHECK(r->blocks[0].size == 16);
  CHECK(r->blocks[0].type == "malloc in main");
  REQUIRE(r->blocks[0].stack.size() == 4);
  CHECK(r->blocks[0].stack.front() == "start + 2544 (dyld)");
  CHECK(r->blocks[0].stack[1] == "main + 16  main.cpp:0 (main.exe)");
  CHECK(r->blocks[0].stack.back().find("_malloc_zone_malloc_instrumented_or_legacy") == 0);
  CHECK(r->skipped_lines == 0);
}

TEST_CASE("leaks 4.0 with its header block: process, 400 leaks, each listed block with the shared stack",
          "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v4_stacks_header.txt"));
  REQUIRE(r);
  CHECK(r->process == "testtemporaries");
  CHECK(r->pid == 89995);
  CHECK(r->leak_count == 400);
  CHECK(r->leaked_bytes == 6400);
  REQUIRE(r->blocks.size() == 2);  // the capture was trimmed after two tree lines
  CHECK(r->blocks[1].address == 0x7fad18004780u);
  CHECK(r->blocks[1].stack.size() == 4);
  CHECK(r->blocks[1].stack[2] == "testtemporaries_test_concat_temps + 96 (testtemporaries)");
}

TEST_CASE("leaks 3.0: Leak lines with zone, type and a one-line call stack", "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v3_call_stacks.txt"));
  REQUIRE(r);
  CHECK(r->report_version == "3.0");
  CHECK(r->leak_count == 5);
  CHECK(r->leaked_bytes == 240);
  REQUIRE(r->blocks.size() == 2);
  CHECK(r->blocks[0].address == 0x153f040f0u);
  CHECK(r->blocks[0].size == 112);
  CHECK(r->blocks[0].type == "malloc in InitLinkedList  C  Project");
  REQUIRE(r->blocks[0].stack.size() == 4);
  CHECK(r->blocks[0].stack[0] == "0x1805b4274 (dyld) start");
  CHECK(r->blocks[0].stack[2] == "0x1044137a4 (Project) InitLinkedList");
  CHECK(r->blocks[1].stack.empty());
}

TEST_CASE("leaks 3.0 without stacks and 2.0 with content lines", "[probes][macos-tools]") {
  auto v3 = parse_leaks(read_tool_fixture("leaks/v3_list_no_stacks.txt"));
  REQUIRE(v3);
  CHECK(v3->leak_count == 100);
  CHECK(v3->blocks.size() == 9);
  CHECK(v3->blocks[8].size == 32);
  CHECK(v3->blocks[8].type.empty());
  auto v2 = parse_leaks(read_tool_fixture("leaks/v2_handmade.txt"));
  REQUIRE(v2);
  CHECK(v2->report_version == "2.0");
  CHECK(v2->process == "Python");
  CHECK(v2->leak_count == 2);
  CHECK(v2->leaked_bytes == 96);
  REQUIRE(v2->blocks.size() == 2);
  CHECK(v2->blocks[0].type == "AXObserver  CFType  HIServices");
  CHECK(v2->skipped_lines == 0);
}

TEST_CASE("leaks: a broken Leak line is skipped and counted, no totals line is an error", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("leaks/v3_list_no_stacks.txt");
  const auto at = text.find("Leak: 0x7fb1cac05a40  size=32");
  REQUIRE(at != std::string::npos);
  text.replace(at, 29, "Leak: 0xZZ  size=thirty-two");
  auto r = parse_leaks(text);
  REQUIRE(r);
  CHECK(r->skipped_lines == 1);
  CHECK(r->blocks.size() == 8);
  auto none = parse_leaks("leaks Report Version: 4.0\nProcess 1: 10 nodes malloced for 1 KB\n");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == Errc::parse);
}
