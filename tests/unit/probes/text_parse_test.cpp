// Size tokens as footprint(1) and vmmap(1) print them. Expected bytes are worked out
// by hand (binary units, fractions rounded to the nearest byte).
#include "probes/text_parse.h"

#include "tests/support/catch.h"

using mcpleak::detail::is_size_unit;
using mcpleak::detail::parse_count;
using mcpleak::detail::parse_size;
using mcpleak::detail::split_words;

TEST_CASE("sizes with glued units use binary multiples", "[probes][macos-tools]") {
  CHECK(parse_size("412K") == 421888u);
  CHECK(parse_size("32.0M") == 33554432u);
  CHECK(parse_size("16.4G") == 17609365914u);
  CHECK(parse_size("2T") == 2199023255552u);
  CHECK(parse_size("0K") == 0u);
}

TEST_CASE("sizes with separate unit words, as footprint prints them", "[probes][macos-tools]") {
  CHECK(parse_size("6288", "KB") == 6438912u);
  CHECK(parse_size("16", "MB") == 16777216u);
  CHECK(parse_size("1.2", "GB") == 1288490189u);
  CHECK(parse_size("0", "B") == 0u);
  CHECK(parse_size("42", "kb") == 43008u);
}

TEST_CASE("plain numbers are bytes", "[probes][macos-tools]") {
  CHECK(parse_size("759") == 759u);
  CHECK(parse_size("17716740096") == 17716740096u);
}

TEST_CASE("malformed sizes are rejected", "[probes][macos-tools]") {
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("K"));
  CHECK_FALSE(parse_size("12Q"));
  CHECK_FALSE(parse_size("12K", "KB"));     // a unit glued on and another given
  CHECK_FALSE(parse_size("1.2.3M"));
  CHECK_FALSE(parse_size("-5K"));
  CHECK_FALSE(parse_size("99999999999999999999"));
  CHECK_FALSE(parse_size("20000000T"));    // overflows 64 bits
  CHECK_FALSE(parse_size("see"));
}

TEST_CASE("unit words and counts", "[probes][macos-tools]") {
  CHECK(is_size_unit("KB"));
  CHECK(is_size_unit("B"));
  CHECK_FALSE(is_size_unit(""));
  CHECK_FALSE(is_size_unit("MALLOC_SMALL"));
  CHECK(parse_count("4187") == 4187u);
  CHECK_FALSE(parse_count("4187K"));
  CHECK_FALSE(parse_count(""));
}

TEST_CASE("words are split on any whitespace", "[probes][macos-tools]") {
  const auto words = split_words("  16 MB\t 0 B   MALLOC_LARGE  ");
  REQUIRE(words.size() == 5);
  CHECK(words[0] == "16");
  CHECK(words[3] == "B");
  CHECK(words[4] == "MALLOC_LARGE");
}
