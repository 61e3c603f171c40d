#include "reports/units.h"

#include "tests/support/catch.h"

using namespace mcpleak::reports;

TEST_CASE("byte units are binary and picked by magnitude", "[reports]") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(32) == "32 B");
  CHECK(format_bytes(1024) == "1.00 KiB");
  CHECK(format_bytes(212 * 1024.0) == "212 KiB");
  CHECK(format_bytes(140 * 1024.0 * 1024) == "140 MiB");
  CHECK(format_bytes(1.5 * 1024 * 1024 * 1024) == "1.50 GiB");
  // Not decimal megabytes: 10^6 bytes is less than one MiB.
  CHECK(format_bytes(1e6) == "977 KiB");
}

TEST_CASE("signed byte counts carry an explicit sign except zero", "[reports]") {
  CHECK(format_signed_bytes(11.8 * 1024 * 1024) == "+11.8 MiB");
  CHECK(format_signed_bytes(-1024) == "-1.00 KiB");
  CHECK(format_signed_bytes(0) == "0 B");
  CHECK(format_signed_bytes(-0.001) == "0 B");
}

TEST_CASE("numbers keep about three significant digits and never print -0", "[reports]") {
  CHECK(format_number(1234.4) == "1234");
  CHECK(format_number(123.4) == "123");
  CHECK(format_number(12.34) == "12.3");
  CHECK(format_number(1.234) == "1.23");
  CHECK(format_number(-0.0001) == "0");
  CHECK(format_number(0.0 / 0.0) == "n/a");
  CHECK(format_number_trimmed(2) == "2");
  CHECK(format_number_trimmed(2.5) == "2.5");
  CHECK(format_number_trimmed(3900) == "3900");
}

TEST_CASE("durations and latencies read like a person would write them", "[reports]") {
  CHECK(format_duration(45.25) == "45.2 s");
  CHECK(format_duration(750) == "12m 30s");
  CHECK(format_duration(3725) == "1h 02m 05s");
  CHECK(format_ms(12.34) == "12.3 ms");
  CHECK(format_ms(1520) == "1.52 s");
}
