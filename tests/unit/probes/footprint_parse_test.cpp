// parse_footprint on footprint(1) tables in the documented layouts: human-readable
// units, `-f bytes` with Auxiliary data, an extra --swapped column, a cut-off table;
// real captures of one process with categories and of several processes with
// --noCategories, and two real blocks followed by a summary table (hand-made).
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

TEST_CASE("footprint real capture: one process, its categories, TOTAL and Auxiliary data", "[probes][macos-tools]") {
  auto report = parse_footprint(read_tool_fixture("footprint/rube_one_process_categories.txt"));
  REQUIRE(report);
  CHECK(report->process == "rube-bin");
  CHECK(report->pid == 39604);
  CHECK(report->footprint_bytes == 13 * MiB);
  CHECK(report->page_size_bytes == 16384u);
  REQUIRE(report->categories.size() == 33);
  CHECK(report->categories.front().name == "MALLOC_NANO");
  CHECK(report->categories.front().reclaimable_bytes == 48 * KiB);
  const FootprintCategory* untagged = find(*report, "untagged (VM_ALLOCATE)");
  REQUIRE(untagged);
  CHECK(untagged->dirty_bytes == 384 * KiB);
  CHECK(untagged->regions == 27u);
  CHECK(find(*report, "mapped file")->clean_bytes == 11 * MiB);
  REQUIRE(report->total);
  CHECK(report->total->clean_bytes == 12 * MiB);
  CHECK(report->total->reclaimable_bytes == 1440 * KiB);
  CHECK(report->total->regions == 6898u);
  CHECK(report->phys_footprint_peak_bytes == 13 * MiB);
  CHECK(report->skipped_lines == 0);
}

TEST_CASE("footprint: a row that does not fit a real table is skipped, the rest kept", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("footprint/rube_one_process_categories.txt");
  const auto at = text.find("2016 KB        0 B");
  REQUIRE(at != std::string::npos);
  text.replace(at, 7, "2O16 KB");
  auto report = parse_footprint(text);
  REQUIRE(report);
  CHECK(report->skipped_lines == 1);
  CHECK(report->categories.size() == 32);
  CHECK(find(*report, "MALLOC_SMALL") == nullptr);
  REQUIRE(report->total);
  CHECK(report->total->regions == 6898u);
}

TEST_CASE("footprint of several processes with categories: the summary table is no process's",
          "[probes][macos-tools]") {
  std::string text = read_tool_fixture("footprint/two_processes_categories_summary_table.txt");
  auto all = parse_footprint_all(text);
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].pid == 39604);
  CHECK((*all)[0].categories.size() == 33);
  CHECK((*all)[1].pid == 39815);
  CHECK((*all)[1].categories.size() == 34);
  CHECK((*all)[1].categories.front().name == "IOSurface");
  REQUIRE((*all)[1].total);
  CHECK((*all)[1].total->dirty_bytes == 55 * MiB);  // its own TOTAL, not the summary's 66 MB
  CHECK(parse_footprint_summary(text) == 66 * MiB);

  SECTION("a last process printed without its table does not take the summary's") {
    const auto from = text.find("  Dirty", text.find("rube-bin [39815]"));
    const auto to = text.find("TOTAL", from);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    text.erase(from, to + 5 - from);
    auto cut = parse_footprint_all(text);
    REQUIRE(cut);
    REQUIRE(cut->size() == 2);
    CHECK((*cut)[1].footprint_bytes == 55 * MiB);
    CHECK((*cut)[1].categories.empty());
    CHECK_FALSE((*cut)[1].total);
    CHECK((*cut)[1].phys_footprint_bytes == 55 * MiB);
  }
}

TEST_CASE("footprint --swapped header as footprint prints it: (Swapped)", "[probes][macos-tools]") {
  // The header and row as quoted from a real `footprint --swapped` run in a public
  // script's docstring (public-code index id 68377891470); the process line is added.
  const char* text =
      "python3 [77]: 64-bit    Footprint: 1500 MB\n"
      "    Dirty  (Swapped)      Clean  Reclaimable    Regions    Category\n"
      "    ---        ---        ---          ---        ---    ---\n"
      "  1500 MB        0 B        0 B          0 B         13    MALLOC_LARGE\n";
  auto report = parse_footprint(text);
  REQUIRE(report);
  REQUIRE(report->categories.size() == 1);
  CHECK(report->categories[0].name == "MALLOC_LARGE");
  CHECK(report->categories[0].dirty_bytes == 1500 * MiB);
  CHECK(report->categories[0].regions == 13u);
  REQUIRE(report->categories[0].extra_bytes.count("Swapped") == 1);
  CHECK(report->categories[0].extra_bytes.at("Swapped") == 0);
}
