// HeaptrackReader on real heaptrack 1.4.0 captures (tests/fixtures/heaptrack/, made by
// running the two small programs beside them under libheaptrack_preload.so). Expected
// values are read off the fixture text and the programs: leak_fixture.c keeps 10 blocks
// of 4096 bytes from grow_cache() called by handle_call(); leak_fixture_cpp.cpp keeps 4
// Elements of 200 bytes made by make_unique inlined into retain().
#include "probes/heaptrack_parse.h"

#include <algorithm>
#include <string>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

HeaptrackReader read_all(const std::string& text) {
  HeaptrackReader reader;
  reader.feed(text);
  return reader;
}

HeaptrackSiteRule every_site() {
  HeaptrackSiteRule rule;
  rule.min_bytes = 0;
  return rule;
}

const SiteSnapshot* site_starting_with(const std::vector<SiteSnapshot>& sites, const std::string& prefix) {
  auto it = std::find_if(sites.begin(), sites.end(), [&](const SiteSnapshot& s) { return s.key.rfind(prefix, 0) == 0; });
  return it == sites.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("heaptrack: header lines, live bytes and the trailer of a whole capture", "[probes][heaptrack]") {
  const auto reader = read_all(read_tool_fixture("heaptrack/leak_fixture_c.txt"));
  CHECK(reader.heaptrack_version() == "1.4.0");  // "v 10400 3"
  CHECK(reader.command() == "./leak_fixture");
  CHECK(reader.ended());                           // "# strings: 23"
  CHECK(reader.skipped_lines() == 0);
  CHECK_FALSE(reader.newer_format());
  // "a 11c00 4" allocated and freed ("+ 0", "- 0"); "a 1000 a" allocated 10 times.
  CHECK(reader.live_bytes() == 10 * 4096);
  CHECK(reader.live_blocks() == 10);
  CHECK(reader.allocations() == 11);
  CHECK(reader.last_time_ms() == 4u);  // "c 4"
}

TEST_CASE("heaptrack: a site is the allocating function with its callers, file and line", "[probes][heaptrack]") {
  const auto sites = read_all(read_tool_fixture("heaptrack/leak_fixture_c.txt")).live_sites();
  REQUIRE(sites.size() == 1);
  CHECK(sites[0].key == "grow_cache (leak_fixture.c:4) < handle_call (leak_fixture.c:6) < main (leak_fixture.c:9)");
  CHECK(sites[0].bytes == 40960);
  CHECK(sites[0].count == 10u);
  REQUIRE(sites[0].stack.size() >= 3);
  CHECK(sites[0].stack[0].function == "grow_cache");
  CHECK(sites[0].stack[0].file == "/tmp/htfx/leak_fixture.c");
  CHECK(sites[0].stack[0].line == 4);
  CHECK(sites[0].stack[1].function == "handle_call");
  CHECK(sites[0].stack[1].line == 6);
}

TEST_CASE("heaptrack: sites under the byte threshold are left out, the cap keeps the heaviest", "[probes][heaptrack]") {
  const auto reader = read_all(read_tool_fixture("heaptrack/leak_fixture_cpp.txt"));
  HeaptrackSiteRule rule;
  rule.min_bytes = 801;
  CHECK(reader.live_sites(rule).empty());  // the heaviest site holds 800 bytes
  rule.min_bytes = 0;
  rule.max_sites = 1;
  const auto sites = reader.live_sites(rule);
  REQUIRE(sites.size() == 1);
  CHECK(sites[0].bytes == 800);
}

TEST_CASE("heaptrack: the standard library's inlined allocation frames are dropped", "[probes][heaptrack]") {
  const auto sites = read_all(read_tool_fixture("heaptrack/leak_fixture_cpp.txt")).live_sites(every_site());
  // make_unique<Element> (unique_ptr.h) and operator new are not the code that asked.
  const SiteSnapshot* elements = site_starting_with(sites, "retain (leak_fixture_cpp.cpp:7)");
  REQUIRE(elements);
  CHECK(elements->bytes == 4 * 200);
  CHECK(elements->count == 4u);
  CHECK(elements->stack.front().function == "retain");
  // The vector's buffer: _M_realloc_insert, allocate and push_back are dropped too.
  const SiteSnapshot* buffer = site_starting_with(sites, "retain (leak_fixture_cpp.cpp:8)");
  REQUIRE(buffer);
  CHECK(buffer->count == 1u);
  for (const auto& s : sites) {
    INFO(s.key);
    CHECK(s.key.find("operator new") == std::string::npos);
    CHECK(s.key.find("unique_ptr.h") == std::string::npos);
  }
}

TEST_CASE("heaptrack: fed in small pieces, the reader sees what it sees whole", "[probes][heaptrack]") {
  const std::string text = read_tool_fixture("heaptrack/leak_fixture_cpp.txt");
  const auto whole = read_all(text);
  for (std::size_t piece : {1, 7, 64}) {
    HeaptrackReader reader;
    for (std::size_t at = 0; at < text.size(); at += piece) reader.feed(std::string_view(text).substr(at, piece));
    INFO("piece " << piece);
    CHECK(reader.live_bytes() == whole.live_bytes());
    CHECK(reader.live_blocks() == whole.live_blocks());
    CHECK(reader.live_sites(every_site()).size() == whole.live_sites(every_site()).size());
    CHECK(reader.ended());
  }
}

TEST_CASE("heaptrack: a capture cut short has no trailer and waits for the rest of its line", "[probes][heaptrack]") {
  std::string text = read_tool_fixture("heaptrack/leak_fixture_c.txt");
  const auto cut = text.find("+ 1\n+ 1\n");  // the first kept block's event, and its line end
  REQUIRE(cut != std::string::npos);
  HeaptrackReader reader;
  reader.feed(text.substr(0, cut + 3));  // "+ 1" without its newline
  CHECK_FALSE(reader.ended());
  CHECK(reader.live_blocks() == 1);      // only "+ 0" so far
  reader.feed("\n");
  CHECK(reader.live_blocks() == 2);
}

TEST_CASE("heaptrack: an unreadable line is skipped and counted, the rest kept", "[probes][heaptrack]") {
  std::string text = read_tool_fixture("heaptrack/leak_fixture_c.txt");
  const auto at = text.find("+ 1\n");
  REQUIRE(at != std::string::npos);
  text.replace(at, 4, "+ zz\n");                      // one kept block's event unreadable
  text.insert(text.find("c 4\n"), "- 99\nQ what\n");  // a free of no allocation info, an unknown line
  const auto reader = read_all(text);
  CHECK(reader.skipped_lines() == 3);
  CHECK(reader.live_blocks() == 9);
  CHECK(reader.live_bytes() == 9 * 4096);
}

TEST_CASE("heaptrack: an empty or foreign stream gives nothing, not a crash", "[probes][heaptrack]") {
  auto reader = read_all("");
  CHECK(reader.heaptrack_version().empty());
  CHECK(reader.live_sites(every_site()).empty());
  reader = read_all("hello world\n{\"jsonrpc\":\"2.0\"}\n");
  CHECK(reader.skipped_lines() == 2);
  CHECK(reader.live_bytes() == 0);
}
