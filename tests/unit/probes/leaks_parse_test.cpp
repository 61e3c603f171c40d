// parse_leaks on leaks(1) reports from before 2.0 to 4.0 (real captures, one hand-made
// 2.0), with and without -quiet, with MallocStackLogging lines first (also wrapped by a
// terminal, also glued to the target's output), with per-leak call stacks, and 4.0 trees
// with bare addresses, children and cycles (tests/fixtures/leaks/, each citing its
// source). Expected values are read off the fixture text.
#include "probes/leaks_parse.h"

#include <algorithm>
#include <numeric>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

std::uint64_t listed_bytes(const LeaksReport& r) {
  return std::accumulate(r.blocks.begin(), r.blocks.end(), std::uint64_t{0},
                         [](std::uint64_t sum, const LeakedBlock& b) { return sum + b.size; });
}

}  // namespace

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

TEST_CASE("leaks 2.0 real capture: Leak lines with zone and hex-dump content", "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v2_capybara_webkit_2016.txt"));
  REQUIRE(r);
  CHECK(r->report_version == "2.0");  // "leaks Report Version:  2.0", two spaces
  CHECK(r->process == "webkit_server");
  CHECK(r->pid == 48391);
  CHECK(r->nodes_malloced == 229714u);
  CHECK(r->leak_count == 3667);
  CHECK(r->leaked_bytes == 525984);
  REQUIRE(r->blocks.size() == 6);  // the fixture keeps six of them
  CHECK(r->blocks[0].address == 0x7f9170c189d0u);
  CHECK(r->blocks[0].size == 48);
  CHECK(r->blocks[0].type.empty());  // only a zone, no type
  CHECK(r->blocks[5].address == 0x7f9170d295e0u);
  CHECK(r->blocks[5].size == 80);
  CHECK(r->skipped_lines == 0);  // the tab-indented dumps are content, not blocks
}

TEST_CASE("leaks 4.0 tree with bare addresses: every ROOT LEAK is a block", "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v4_bare_addresses_wazuh.txt"));
  REQUIRE(r);
  CHECK(r->process == "wazuh-modulesd");
  CHECK(r->leak_count == 21);
  CHECK(r->leaked_bytes == 157136);
  REQUIRE(r->blocks.size() == 6);  // trimmed after six of the 21
  CHECK(r->blocks[0].address == 0x10f3b5000u);
  CHECK(r->blocks[0].size == 45056);
  CHECK(r->blocks[0].type.empty());
  CHECK(r->blocks[5].address == 0x7f9dab805e00u);
  CHECK(r->blocks[5].size == 12288);
  CHECK(listed_bytes(*r) == 2 * 45056 + 2 * 16384 + 2 * 12288);
  CHECK(r->skipped_lines == 0);  // "21 (153K) << TOTAL >>" is not a block
}

TEST_CASE("leaks 4.0 tree: the blocks under a root are listed too", "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v4_nested_children_wazuh.txt"));
  REQUIRE(r);
  CHECK(r->leak_count == 13);
  CHECK(r->leaked_bytes == 1488);
  REQUIRE(r->blocks.size() == 12);  // two roots of 256 with five children each
  CHECK(r->blocks[0].address == 0x7f9326e00560u);
  CHECK(r->blocks[0].size == 256);
  CHECK(r->blocks[1].address == 0x7f9326d00480u);
  CHECK(r->blocks[1].size == 112);
  CHECK(r->blocks[6].address == 0x7f9326e003f0u);
  CHECK(r->blocks[11].size == 64);
  // The source's third root, cut from the fixture, is "1 (96 bytes)": 1488 - 96.
  CHECK(listed_bytes(*r) == 1488 - 96);
}

TEST_CASE("leaks 4.0 tree with a cycle: field --> ROOT CYCLE is a block, CYCLE BACK TO is not",
          "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v4_root_cycle_ios.txt"));
  REQUIRE(r);
  CHECK(r->leak_count == 6);
  REQUIRE(r->blocks.size() == 6);  // Person, Apartment, four HomeViewModel
  CHECK(listed_bytes(*r) == r->leaked_bytes);
  CHECK(r->blocks[0].type == "Person");
  CHECK(r->blocks[0].address == 0x600002332540u);
  CHECK(r->blocks[1].type == "Apartment");
  CHECK(r->blocks[1].address == 0x600002332660u);
  CHECK(r->blocks[1].size == 32);
  CHECK(r->blocks[5].type == "HomeViewModel");
  CHECK(std::count_if(r->blocks.begin(), r->blocks.end(),
                      [](const LeakedBlock& b) { return b.address == 0x600002332540u; }) == 1);
  CHECK(r->skipped_lines == 0);
}

TEST_CASE("leaks before report 2.0: content is no type, one-line call stacks with a thread",
          "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/pre2_call_stacks_libconflate_2009.txt"));
  REQUIRE(r);
  CHECK_FALSE(r->report_version);
  CHECK(r->pid == 2885);
  CHECK(r->leak_count == 4);
  REQUIRE(r->blocks.size() == 4);
  CHECK(listed_bytes(*r) == r->leaked_bytes);  // 48 + 48 + 32 + 16
  CHECK(r->blocks[0].address == 0x514e00u);
  CHECK(r->blocks[0].type.empty());  // "string ''" describes content
  REQUIRE(r->blocks[0].stack.size() == 18);
  CHECK(r->blocks[0].stack.front() == "thread_start");
  CHECK(r->blocks[0].stack.back() == "malloc_zone_malloc");
  REQUIRE(r->blocks[2].stack.size() == 19);
  CHECK(r->blocks[2].stack[13] == "xmpp_stanza_set_text");
  CHECK(r->blocks[3].stack.empty());
  CHECK(r->skipped_lines == 0);
}

TEST_CASE("leaks 3.0: a Leak line that ends in content has no type", "[probes][macos-tools]") {
  auto r = parse_leaks(read_tool_fixture("leaks/v3_content_not_type_wazuh.txt"));
  REQUIRE(r);
  CHECK(r->leak_count == 2513);
  REQUIRE(r->blocks.size() == 2);
  CHECK(r->blocks[0].type.empty());  // 'length: 7  "10.2.13"'
  CHECK(r->blocks[1].address == 0x7ffb6ac03af0u);
  CHECK(r->blocks[1].size == 16);
}

TEST_CASE("leaks: noise before the report, glued to the header or wrapped by a terminal", "[probes][macos-tools]") {
  SECTION("the target's last line without a newline, then Process:") {
    auto r = parse_leaks(read_tool_fixture("leaks/v3_msl_noise_glued_header.txt"));
    REQUIRE(r);
    CHECK(r->process == "o");
    CHECK(r->pid == 17741);
    CHECK(r->report_version == "3.0");
    CHECK(r->nodes_malloced == 3026u);
    CHECK(r->leak_count == 0);
    CHECK(r->blocks.empty());
  }
  SECTION("MallocStackLogging lines wrapped at 107 columns, shell prompts around") {
    auto r = parse_leaks(read_tool_fixture("leaks/v4_terminal_wrapped_msl_noise.txt"));
    REQUIRE(r);
    CHECK(r->process == "main");
    CHECK(r->pid == 79259);
    CHECK(r->report_version == "4.0");
    CHECK(r->nodes_malloced == 185u);
    CHECK(r->leak_count == 0);
    CHECK(r->leaked_bytes == 0);
    CHECK(r->skipped_lines == 0);
  }
}

TEST_CASE("leaks: an unreadable tree line is skipped and counted", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("leaks/v4_nested_children_wazuh.txt");
  const auto at = text.find("0x7f9326d00530 [112]");
  REQUIRE(at != std::string::npos);
  text.replace(at, 20, "0x7f9326d00530 [1l2]");
  auto r = parse_leaks(text);
  REQUIRE(r);
  CHECK(r->skipped_lines == 1);
  CHECK(r->blocks.size() == 11);
  CHECK(r->leak_count == 13);
}
