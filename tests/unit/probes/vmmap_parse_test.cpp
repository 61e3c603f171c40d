// parse_vmmap_summary on `vmmap -summary` tables: the 8-column macOS 13+ layout with the
// seed's leak, the 2-column layout without footprint lines, and the 1-column layout cut
// before TOTAL; and on full reports (region lists first), one of them a whole real
// capture. Expected values are read off the fixture text (binary units).
#include "probes/vmmap_parse.h"

#include <algorithm>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;

const VmmapRegion* find(const VmmapSummary& summary, std::string_view name) {
  auto it = std::find_if(summary.regions.begin(), summary.regions.end(),
                         [&](const VmmapRegion& r) { return r.name == name; });
  return it == summary.regions.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("vmmap physical footprint lines", "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/seed_leak_macos14.txt"));
  REQUIRE(summary);
  CHECK(summary->physical_footprint_bytes == 17716740096u);       // "16.5G"
  CHECK(summary->physical_footprint_peak_bytes == 17716740096u);  // "16.5G"
}

TEST_CASE("vmmap 8-column table: the seed's MALLOC_SMALL", "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/seed_leak_macos14.txt"));
  REQUIRE(summary);
  const auto* small = find(*summary, "MALLOC_SMALL");
  REQUIRE(small);
  CHECK(small->virtual_bytes == 17609365914u);   // "16.4G"
  CHECK(small->resident_bytes == 89443533u);     // "85.3M"
  CHECK(small->dirty_bytes == 89443533u);
  CHECK(small->swapped_bytes == 17501991731u);   // "16.3G"
  CHECK(small->volatile_bytes == 0u);
  CHECK(small->nonvolatile_bytes == 0u);
  CHECK(small->empty_bytes == 0u);
  CHECK(small->region_count == 4187u);
}

TEST_CASE("vmmap rows: every region, names with spaces, remarks, plain bytes",
          "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/seed_leak_macos14.txt"));
  REQUIRE(summary);
  CHECK(summary->regions.size() == 26);
  CHECK(summary->regions.front().name == "Activity Tracing");
  CHECK(summary->regions.back().name == "shared memory");

  const auto* tracing = find(*summary, "Activity Tracing");
  REQUIRE(tracing);
  CHECK(tracing->virtual_bytes == 256 * KiB);
  CHECK(tracing->nonvolatile_bytes == 16 * KiB);

  const auto* empty_large = find(*summary, "MALLOC_LARGE (empty)");
  REQUIRE(empty_large);
  CHECK(empty_large->resident_bytes == 400 * KiB);
  CHECK(empty_large->region_count == 2u);

  const auto* reserved = find(*summary, "VM_ALLOCATE (reserved)");  // remark after count
  REQUIRE(reserved);
  CHECK(reserved->virtual_bytes == 768 * KiB);
  CHECK(reserved->region_count == 2u);

  const auto* ctf = find(*summary, "__CTF");
  REQUIRE(ctf);
  CHECK(ctf->virtual_bytes == 824u);
  CHECK(ctf->resident_bytes == 824u);
  CHECK(ctf->dirty_bytes == 0u);

  const auto* tiny = find(*summary, "MALLOC_TINY");
  REQUIRE(tiny);
  CHECK(tiny->virtual_bytes == 56 * MiB);
  CHECK(tiny->swapped_bytes == 36805018u);  // "35.1M"
  CHECK(tiny->region_count == 14u);

  // The MALLOC ZONE table after TOTAL is another table, not regions.
  CHECK_FALSE(find(*summary, "DefaultMallocZone_0x1022fc000"));
}

TEST_CASE("vmmap TOTAL row, not the 'minus reserved' one", "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/seed_leak_macos14.txt"));
  REQUIRE(summary);
  REQUIRE(summary->total);
  CHECK(summary->total->name == "TOTAL");
  CHECK(summary->total->virtual_bytes == 18683107738u);  // "17.4G"
  CHECK(summary->total->resident_bytes == 287834112u);   // "274.5M"
  CHECK(summary->total->swapped_bytes == 17501991731u);
  CHECK(summary->total->region_count == 5980u);
  CHECK_FALSE(find(*summary, "TOTAL"));
}

TEST_CASE("vmmap 2-column layout: virtual and count only, no footprint lines",
          "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/python_fewer_columns_macos11.txt"));
  REQUIRE(summary);
  CHECK_FALSE(summary->physical_footprint_bytes);
  CHECK_FALSE(summary->physical_footprint_peak_bytes);
  CHECK(summary->regions.size() == 12);
  const auto* malloc = find(*summary, "MALLOC");
  REQUIRE(malloc);
  CHECK(malloc->virtual_bytes == 218313523u);  // "208.2M"
  CHECK(malloc->region_count == 28u);
  CHECK_FALSE(malloc->resident_bytes);
  CHECK_FALSE(malloc->swapped_bytes);
  const auto* medium = find(*summary, "MALLOC_MEDIUM (reserved)");
  REQUIRE(medium);
  CHECK(medium->virtual_bytes == 120 * MiB);
  const auto* ctf = find(*summary, "__CTF");
  REQUIRE(ctf);
  CHECK(ctf->virtual_bytes == 824u);
  REQUIRE(summary->total);
  CHECK(summary->total->virtual_bytes == 2684354560u);  // "2.5G"
  CHECK(summary->total->region_count == 632u);
}

TEST_CASE("vmmap 1-column layout cut before TOTAL", "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/single_column_no_total.txt"));
  REQUIRE(summary);
  REQUIRE(summary->regions.size() == 6);
  CHECK(summary->regions[0].name == "MALLOC");
  CHECK(summary->regions[0].virtual_bytes == 9396 * KiB);
  CHECK_FALSE(summary->regions[0].region_count);
  CHECK(summary->regions[1].name == "MALLOC guard page");
  CHECK(summary->regions[2].virtual_bytes == 56 * MiB);  // "56.0M"
  CHECK_FALSE(summary->total);
}

TEST_CASE("vmmap without a REGION TYPE table is a parse error", "[probes][macos-tools]") {
  SECTION("garbage") {
    auto summary = parse_vmmap_summary("vmmap[123]: [fatal] unable to read process 99\n");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == Errc::parse);
  }
  SECTION("footprint lines only") {
    auto summary = parse_vmmap_summary("Physical footprint:         6196K\n----\n");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == Errc::parse);
  }
  SECTION("header without rows") {
    auto summary = parse_vmmap_summary("REGION TYPE   VIRTUAL\n===========   =======\n");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == Errc::parse);
  }
  SECTION("unknown column") {
    auto summary = parse_vmmap_summary(
        "REGION TYPE   VIRTUAL  WOBBLE\n===========   =======  ======\nMALLOC  1M  2M\n");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == Errc::parse);
  }
  SECTION("a row that does not fit") {
    auto summary = parse_vmmap_summary(
        "                 VIRTUAL   REGION\n"
        "REGION TYPE         SIZE    COUNT\n"
        "===========      =======  =======\n"
        "MALLOC            208.2M     lots\n");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == Errc::parse);
  }
}

TEST_CASE("vmmap: a full report's region lists are passed over to the summary table", "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/full_report_bash.txt"));
  REQUIRE(summary);
  REQUIRE(summary->regions.size() == 11);
  CHECK(summary->regions[0].name == "Kernel Alloc Once");
  CHECK(summary->regions[4].name == "MALLOC_SMALL");
  CHECK(summary->regions[4].virtual_bytes == 24 * MiB);
  CHECK(summary->regions[4].dirty_bytes == 176 * KiB);
  REQUIRE(summary->total);
  CHECK(summary->total->region_count == 100u);
  CHECK(summary->skipped_lines == 0);
}

TEST_CASE("vmmap: an unreadable summary row is skipped and counted", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("vmmap/full_report_bash.txt");
  const auto at = text.find("Stack                             8192K");
  REQUIRE(at != std::string::npos);
  text.replace(at, 39, "Stack                             lots!");
  auto summary = parse_vmmap_summary(text);
  REQUIRE(summary);
  CHECK(summary->skipped_lines == 1);
  CHECK(summary->regions.size() == 10);
}

TEST_CASE("vmmap real full report: region lists, legend, then the summary and MALLOC ZONE tables",
          "[probes][macos-tools]") {
  auto summary = parse_vmmap_summary(read_tool_fixture("vmmap/full_report_go_macos10_13.txt"));
  REQUIRE(summary);
  CHECK(summary->physical_footprint_bytes == static_cast<std::uint64_t>(10.2 * MiB + 0.5));
  CHECK(summary->physical_footprint_peak_bytes == static_cast<std::uint64_t>(12.2 * MiB + 0.5));
  REQUIRE(summary->regions.size() == 16);  // the MALLOC ZONE table after TOTAL is not read
  CHECK(summary->regions.front().name == "Kernel Alloc Once");
  CHECK(summary->regions.back().name == "shared memory");
  const VmmapRegion* vm = find(*summary, "VM_ALLOCATE");
  REQUIRE(vm);
  CHECK(vm->virtual_bytes == static_cast<std::uint64_t>(687.1 * MiB + 0.5));
  CHECK(vm->resident_bytes == static_cast<std::uint64_t>(11.5 * MiB + 0.5));
  CHECK(vm->dirty_bytes == 9456 * KiB);
  CHECK(vm->region_count == 21u);
  const VmmapRegion* small_empty = find(*summary, "MALLOC_SMALL (empty)");  // remark after it
  REQUIRE(small_empty);
  CHECK(small_empty->virtual_bytes == 24 * MiB);
  CHECK(small_empty->region_count == 2u);
  REQUIRE(summary->total);
  CHECK(summary->total->region_count == 432u);
  CHECK(summary->total->dirty_bytes == static_cast<std::uint64_t>(10.3 * MiB + 0.5));
  CHECK(summary->skipped_lines == 0);
}

TEST_CASE("vmmap real full report: an unreadable summary row is skipped", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("vmmap/full_report_go_macos10_13.txt");
  const auto at = text.find("Stack                             14.1M");
  REQUIRE(at != std::string::npos);
  text.replace(at, 39, "Stack                             14,1M");
  auto summary = parse_vmmap_summary(text);
  REQUIRE(summary);
  CHECK(summary->skipped_lines == 1);
  CHECK(summary->regions.size() == 15);
  CHECK(find(*summary, "Stack") == nullptr);
  CHECK(find(*summary, "STACK GUARD") != nullptr);
}
