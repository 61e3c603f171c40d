// parse_footprint on footprint(1) tables in the documented layouts: human-readable
// units, `-f bytes` with Auxiliary data, an extra --swapped column, a cut-off table.
// Expected values are read off the fixture text (binary units).
#include "probes/footprint_parse.h"

#include <algorithm>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

const FootprintCategory* find(const FootprintReport& report, std::string_view name) {
  auto it = std::find_if(report.categories.begin(), report.categories.end(),
                         [&](const FootprintCategory& c) { return c.name == name; });
  return it == report.categories.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("footprint header: process, pid, footprint and page size", "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/python_formatted.txt"));
  REQUIRE(report);
  CHECK(report->process == "Python");
  CHECK(report->pid == 4312);
  CHECK(report->footprint_bytes == 58 * MiB);
  CHECK(report->page_size_bytes == 16384u);
  CHECK_FALSE(report->phys_footprint_bytes);       // no Auxiliary data section
  CHECK_FALSE(report->phys_footprint_peak_bytes);
}

TEST_CASE("footprint rows: every column of a category", "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/python_formatted.txt"));
  REQUIRE(report);
  CHECK(report->categories.size() == 15);
  CHECK(report->categories.front().name == "MALLOC_SMALL");
  CHECK(report->categories.back().name == "__LINKEDIT");

  const auto* small = find(*report, "MALLOC_SMALL");
  REQUIRE(small);
  CHECK(small->dirty_bytes == 21 * MiB);
  CHECK(small->clean_bytes == 0);
  CHECK(small->reclaimable_bytes == 448 * KiB);
  CHECK(small->regions == 9);

  // A category name with spaces and quotes is kept whole.
  const auto* untagged = find(*report, "untagged (\"VM_ALLOCATE\")");
  REQUIRE(untagged);
  CHECK(untagged->dirty_bytes == 7936 * KiB);
  CHECK(untagged->regions == 212);

  const auto* page_table = find(*report, "page table");
  REQUIRE(page_table);
  CHECK(page_table->dirty_bytes == 560 * KiB);

  const auto* text = find(*report, "__TEXT");
  REQUIRE(text);
  CHECK(text->clean_bytes == 45613056u);  // "43.5 MB"
  CHECK(text->regions == 22);
}

TEST_CASE("footprint TOTAL row is kept apart from the categories", "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/python_formatted.txt"));
  REQUIRE(report);
  REQUIRE(report->total);
  CHECK(report->total->dirty_bytes == 58 * MiB);
  CHECK(report->total->clean_bytes == 45 * MiB);
  CHECK(report->total->reclaimable_bytes == 448 * KiB);
  CHECK(report->total->regions == 797);
  CHECK_FALSE(find(*report, "TOTAL"));
}

TEST_CASE("footprint -f bytes: the seed's leaking MALLOC_SMALL and Auxiliary data",
          "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/python_bytes_leaking.txt"));
  REQUIRE(report);
  CHECK(report->pid == 8841);
  CHECK(report->footprint_bytes == 17716740096u);
  CHECK(report->categories.size() == 8);
  const auto* small = find(*report, "MALLOC_SMALL");
  REQUIRE(small);
  CHECK(small->dirty_bytes == 17609015296u);
  CHECK(small->reclaimable_bytes == 262144u);
  CHECK(small->regions == 4187);
  REQUIRE(report->total);
  CHECK(report->total->dirty_bytes == 17697898496u);
  CHECK(report->total->clean_bytes == 45645824u);
  CHECK(report->total->regions == 4694);
  CHECK(report->phys_footprint_bytes == 17716740096u);
  CHECK(report->phys_footprint_peak_bytes == 17716740096u);
}

TEST_CASE("footprint extra columns are read by header, and a missing TOTAL is absent",
          "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/swapped_column_no_total.txt"));
  REQUIRE(report);
  CHECK(report->footprint_bytes == 1288490189u);  // "1.2 GB"
  REQUIRE(report->categories.size() == 3);
  const auto& small = report->categories[0];
  CHECK(small.name == "MALLOC_SMALL");
  CHECK(small.dirty_bytes == 1181116006u);         // "1.1 GB"
  CHECK(small.extra_bytes.at("Swapped") == 980 * MiB);
  CHECK(small.clean_bytes == 0);
  CHECK(small.regions == 301);
  CHECK(report->categories[1].extra_bytes.at("Swapped") == 2 * MiB);
  CHECK(report->categories[2].clean_bytes == 1572864u);  // "1.5 MB"
  CHECK_FALSE(report->total);
}

TEST_CASE("footprint accepts K/M/G, unit words and plain bytes in one table",
          "[probes][macos-tools]") {
  const char* text =
      "node [77]: 64-bit    Footprint: 3G\n"
      "  Dirty      Clean  Reclaimable    Regions    Category\n"
      "    ---        ---          ---        ---    ---\n"
      "   2G       512K        4096          7    MALLOC_SMALL\n"
      " 12 KB        1 M           0          2    __DATA\n";
  auto report = parse_footprint(text);
  REQUIRE(report);
  CHECK(report->process == "node");
  CHECK(report->footprint_bytes == 3 * 1024 * MiB);
  CHECK_FALSE(report->page_size_bytes);
  REQUIRE(report->categories.size() == 2);
  CHECK(report->categories[0].dirty_bytes == 2 * 1024 * MiB);
  CHECK(report->categories[0].clean_bytes == 512 * KiB);
  CHECK(report->categories[0].reclaimable_bytes == 4096);
  CHECK(report->categories[1].dirty_bytes == 12 * KiB);
  CHECK(report->categories[1].clean_bytes == 1 * MiB);
}

TEST_CASE("footprint without its header or table is a parse error", "[probes][macos-tools]") {
  SECTION("garbage") {
    auto report = parse_footprint("footprint: unable to get task for pid 1: (os/kern) failure\n");
    REQUIRE_FALSE(report);
    CHECK(report.error().code == Errc::parse);
  }
  SECTION("empty") {
    auto report = parse_footprint("");
    REQUIRE_FALSE(report);
    CHECK(report.error().code == Errc::parse);
  }

  SECTION("unreadable footprint size") {
    auto report = parse_footprint(
        "Python [1]: 64-bit    Footprint: lots\n  Dirty  Regions  Category\n  1 MB  2  x\n");
    REQUIRE_FALSE(report);
    CHECK(report.error().code == Errc::parse);
  }
}

// Since issue 17 a header without a table (--noCategories) is a report, and a row that
// does not fit is skipped and counted rather than failing the whole capture.
TEST_CASE("footprint: a header without a table, a row that does not fit", "[probes][macos-tools]") {
  auto bare = parse_footprint("Python [1]: 64-bit    Footprint: 58 MB (16384 bytes per page)\n");
  REQUIRE(bare);
  CHECK(bare->footprint_bytes == 58 * MiB);
  CHECK(bare->categories.empty());
  auto report = parse_footprint(
      "Python [1]: 64-bit    Footprint: 58 MB\n"
      "  Dirty      Clean  Reclaimable    Regions    Category\n"
      "    ---        ---          ---        ---    ---\n"
      "  21 MB        0 B       many          9    MALLOC_SMALL\n"
      "  3 MB         0 B        0 B          2    __DATA\n");
  REQUIRE(report);
  CHECK(report->skipped_lines == 1);
  REQUIRE(report->categories.size() == 1);
  CHECK(report->categories[0].name == "__DATA");
}

TEST_CASE("footprint of several processes in one call, --noCategories, with the summary", "[probes][macos-tools]") {
  const std::string text = read_tool_fixture("footprint/five_processes_nocategories_bytes.txt");
  auto all = parse_footprint_all(text);
  REQUIRE(all);
  REQUIRE(all->size() == 5);
  CHECK((*all)[1].process == "MuxBase Helper (Renderer)");
  CHECK((*all)[1].pid == 14768);
  CHECK((*all)[1].footprint_bytes == 96454216u);
  CHECK((*all)[1].phys_footprint_bytes == 96486984u);
  CHECK((*all)[1].phys_footprint_peak_bytes == 155911776u);
  CHECK((*all)[4].pid == 14757);
  CHECK((*all)[4].phys_footprint_peak_bytes == 7062368u);
  for (const auto& r : *all) CHECK(r.categories.empty());
  CHECK(parse_footprint_summary(text) == 368056728u);  // not the blocks' sum: shared pages count once
  CHECK(parse_footprint(text)->pid == 14756);  // the first block

  auto formatted = parse_footprint_all(read_tool_fixture("footprint/two_processes_nocategories_formatted.txt"));
  REQUIRE(formatted);
  REQUIRE(formatted->size() == 2);
  CHECK((*formatted)[0].footprint_bytes == 67 * MiB);
  CHECK((*formatted)[1].footprint_bytes == 6817 * KiB);
  CHECK((*formatted)[1].phys_footprint_peak_bytes == 6897 * KiB);
  CHECK_FALSE(parse_footprint_summary("Python [1]: 64-bit    Footprint: 58 MB\n"));
}
