// parse_sample_top_frames on a sample(1) report. The fixture's own "Sort by top of
// stack" section (which sample computes itself) is the expected answer for the frames
// derived here from the call graph.
#include "probes/sample_parse.h"

#include <string>
#include <string_view>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

// What fold(1) without -s does: every line cut into pieces of `width` bytes.
std::string fold(std::string_view text, std::size_t width) {
  std::string out;
  std::size_t column = 0;
  for (char c : text) {
    if (c == '\n') {
      column = 0;
    } else if (column == width) {
      out += '\n';
      column = 0;
    }
    if (c != '\n') ++column;
    out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("sample top frames match the report's Sort by top of stack",
          "[probes][macos-tools]") {
  auto frames = parse_sample_top_frames(read_tool_fixture("sample/python_ax_3s.txt"));
  REQUIRE(frames);
  REQUIRE(frames->size() == 6);
  CHECK((*frames)[0].symbol == "__psynch_cvwait");
  CHECK((*frames)[0].library == "libsystem_kernel.dylib");
  CHECK((*frames)[0].samples == 2531);
  CHECK((*frames)[1].symbol == "__workq_kernreturn");
  CHECK((*frames)[1].samples == 2530);
  CHECK((*frames)[2].symbol == "__select");
  CHECK((*frames)[2].samples == 1902);
  CHECK((*frames)[3].symbol == "mach_msg2_trap");
  CHECK((*frames)[3].samples == 598);
  // Summed over two call paths (5 under _AXCreateElementFromMIGData, 20 under
  // AXObserverCreate).
  CHECK((*frames)[4].symbol == "_malloc_zone_malloc");
  CHECK((*frames)[4].library == "libsystem_malloc.dylib");
  CHECK((*frames)[4].samples == 25);
  // A frame that is on top for only part of its samples: 26 minus its child's 20.
  CHECK((*frames)[5].symbol == "AXObserverCreate");
  CHECK((*frames)[5].library == "HIServices");
  CHECK((*frames)[5].samples == 6);
}

TEST_CASE("sample top frames are capped at max_frames", "[probes][macos-tools]") {
  auto frames = parse_sample_top_frames(read_tool_fixture("sample/python_ax_3s.txt"), 2);
  REQUIRE(frames);
  REQUIRE(frames->size() == 2);
  CHECK((*frames)[1].symbol == "__workq_kernreturn");
}

TEST_CASE("sample frames without a library and a graph ending at EOF",
          "[probes][macos-tools]") {
  const char* text =
      "Call graph:\n"
      "    10 Thread_1   DispatchQueue_1: com.apple.main-thread  (serial)\n"
      "    + 10 ???  [0x100004000]\n"
      "    +   7 leaf  (in app) + 4  [0x100004010]\n";
  auto frames = parse_sample_top_frames(text);
  REQUIRE(frames);
  REQUIRE(frames->size() == 2);
  CHECK((*frames)[0].symbol == "leaf");
  CHECK((*frames)[0].samples == 7);
  CHECK((*frames)[1].symbol == "???");
  CHECK((*frames)[1].library.empty());
  CHECK((*frames)[1].samples == 3);
}

TEST_CASE("sample output without a call graph is a parse error", "[probes][macos-tools]") {
  SECTION("garbage") {
    auto frames = parse_sample_top_frames("sample cannot examine process 1 because ...\n");
    REQUIRE_FALSE(frames);
    CHECK(frames.error().code == Errc::parse);
  }
  SECTION("empty graph") {
    auto frames = parse_sample_top_frames("Call graph:\n\nBinary Images:\n");
    REQUIRE_FALSE(frames);
    CHECK(frames.error().code == Errc::parse);
  }
  SECTION("a graph line without a count") {
    auto frames = parse_sample_top_frames("Call graph:\n    + start  (in dyld)\n");
    REQUIRE_FALSE(frames);
    CHECK(frames.error().code == Errc::parse);
  }
}

TEST_CASE("sample: a report whose long lines were wrapped gives the same top frames", "[probes][macos-tools]") {
  auto whole = parse_sample_top_frames(read_tool_fixture("sample/python_ax_3s.txt"));
  auto wrapped = parse_sample_top_frames(read_tool_fixture("sample/python_ax_3s_wrapped80.txt"));
  REQUIRE(whole);
  REQUIRE(wrapped);
  REQUIRE(wrapped->size() == whole->size());
  for (std::size_t i = 0; i < whole->size(); ++i) {
    INFO(i);
    CHECK((*wrapped)[i].symbol == (*whole)[i].symbol);
    CHECK((*wrapped)[i].library == (*whole)[i].library);
    CHECK((*wrapped)[i].samples == (*whole)[i].samples);
  }
}

TEST_CASE("sample: wrapped at any width, a tail that reads like a count stays with its frame",
          "[probes][macos-tools]") {
  const std::string text = read_tool_fixture("sample/python_ax_3s.txt");
  auto whole = parse_sample_top_frames(text);
  REQUIRE(whole);
  // Widths from 40 up cut frames anywhere, also before " + 52  [0x...]"-like tails;
  // narrower ones would cut the counts of deep lines themselves.
  for (std::size_t width = 40; width <= 130; ++width) {
    INFO("width " << width);
    auto wrapped = parse_sample_top_frames(fold(text, width));
    REQUIRE(wrapped);
    REQUIRE(wrapped->size() == whole->size());
    for (std::size_t i = 0; i < whole->size(); ++i) {
      INFO(i);
      CHECK((*wrapped)[i].symbol == (*whole)[i].symbol);
      CHECK((*wrapped)[i].library == (*whole)[i].library);
      CHECK((*wrapped)[i].samples == (*whole)[i].samples);
    }
  }
}

TEST_CASE("sample: a continuation tail like + 52  [0x...] is not a frame", "[probes][macos-tools]") {
  const char* text =
      "Call graph:\n"
      "    10 Thread_1   DispatchQueue_1: com.apple.main-thread  (serial)\n"
      "    + 10 start  (in dyld) + 2544  [0x18dd2c274]\n"
      "    +   10 main  (in axref)\n"
      " + 812  [0x100e0a2cc]\n"
      "    +     7 leaf  (in axref) + 4  [0x100e0a300]\n";
  auto frames = parse_sample_top_frames(text);
  REQUIRE(frames);
  REQUIRE(frames->size() == 2);
  CHECK((*frames)[0].symbol == "leaf");
  CHECK((*frames)[0].samples == 7);
  CHECK((*frames)[1].symbol == "main");
  CHECK((*frames)[1].library == "axref");
  CHECK((*frames)[1].samples == 3);
}
