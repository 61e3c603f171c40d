// parse_smaps_rollup on captured /proc/PID/smaps_rollup text and on broken input. The
// fixtures keep their "# ..." provenance line, which the parser skips.
#include "probes/smaps_rollup_parse.h"

#include "tests/support/catch.h"
#include "tests/unit/probes/proc_fixture.h"

using namespace mcpleak;
using mcpleak::test::edit_line;
using mcpleak::test::line_number;
using mcpleak::test::read_proc_fixture;

namespace {
constexpr std::uint64_t KiB = 1024;
}

TEST_CASE("smaps_rollup: captured text gives the fixture's numbers in bytes",
          "[probes][linux][parse]") {
  const std::string name =
      GENERATE(std::string("smaps_rollup_cat.txt"), std::string("smaps_rollup_python.txt"));
  CAPTURE(name);
  const std::string text = read_proc_fixture(name);
  auto rollup = parse_smaps_rollup(text);
  REQUIRE(rollup);
  CHECK(rollup->rss_bytes == *line_number(text, "Rss") * KiB);
  CHECK(rollup->pss_bytes == *line_number(text, "Pss") * KiB);
  CHECK(rollup->shared_clean_bytes == *line_number(text, "Shared_Clean") * KiB);
  CHECK(rollup->shared_dirty_bytes == *line_number(text, "Shared_Dirty") * KiB);
  CHECK(rollup->private_clean_bytes == *line_number(text, "Private_Clean") * KiB);
  CHECK(rollup->private_dirty_bytes == *line_number(text, "Private_Dirty") * KiB);
  CHECK(rollup->anonymous_bytes == *line_number(text, "Anonymous") * KiB);
  CHECK(rollup->swap_bytes == *line_number(text, "Swap") * KiB);
  CHECK(rollup->swap_pss_bytes == *line_number(text, "SwapPss") * KiB);
  REQUIRE(rollup->pss_anon_bytes);
  CHECK(*rollup->pss_anon_bytes == *line_number(text, "Pss_Anon") * KiB);
  REQUIRE(rollup->pss_dirty_bytes);
  CHECK(*rollup->pss_dirty_bytes == *line_number(text, "Pss_Dirty") * KiB);
}

TEST_CASE("smaps_rollup: a 4.14-era file without Pss_* lines parses, extras absent",
          "[probes][linux][parse]") {
  std::string text = read_proc_fixture("smaps_rollup_python.txt");
  for (const char* key : {"Pss_Anon", "Pss_File", "Pss_Shmem", "Pss_Dirty"})
    text = edit_line(text, key, std::nullopt);
  auto rollup = parse_smaps_rollup(text);
  REQUIRE(rollup);
  CHECK(rollup->pss_bytes == *line_number(text, "Pss") * KiB);
  CHECK_FALSE(rollup->pss_anon_bytes);
  CHECK_FALSE(rollup->pss_file_bytes);
  CHECK_FALSE(rollup->pss_shmem_bytes);
  CHECK_FALSE(rollup->pss_dirty_bytes);
}

TEST_CASE("smaps_rollup: empty text (kernel thread, zombie) is a parse error",
          "[probes][linux][parse]") {
  auto rollup = parse_smaps_rollup("");
  REQUIRE_FALSE(rollup);
  CHECK(rollup.error().code == Errc::parse);
  CHECK(rollup.error().message == "no Rss line");
}

TEST_CASE("smaps_rollup: missing, malformed and truncated input are parse errors",
          "[probes][linux][parse]") {
  const std::string base = read_proc_fixture("smaps_rollup_cat.txt");
  const std::size_t swap = base.find("\nSwap:");
  REQUIRE(swap != std::string::npos);
  const std::string text = GENERATE_COPY(
      edit_line(base, "Private_Dirty", std::nullopt), edit_line(base, "Swap", std::nullopt),
      edit_line(base, "Pss", std::string("lots kB")), edit_line(base, "Rss", std::string("1764")),
      edit_line(base, "Pss_Dirty", std::string("-1 kB")),  // optional lines must still be numbers
      base.substr(0, swap + std::string("\nSwap:      ").size()),  // cut inside Swap's value
      base.substr(0, swap),                                        // cut before Swap
      std::string("Rss 1764 kB\nPss 649 kB\n"), std::string("\xde\xad\xbe\xef"));
  auto rollup = parse_smaps_rollup(text);
  REQUIRE_FALSE(rollup);
  CHECK(rollup.error().code == Errc::parse);
}
