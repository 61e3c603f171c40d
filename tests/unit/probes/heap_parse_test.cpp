// parse_heap on heap(1) outputs: real captures (one zone; several zones, no all-zones
// table; macOS 26 with Swift rows; MallocStackLogging "malloc in <caller>" names wider
// than their column) and hand-made ones (an all-zones table with AX classes after
// MallocStackLogging lines; the old layout without TYPE and BINARY) — see
// tests/fixtures/heap/, each citing its source. Expected values are read off the
// fixture text.
#include "probes/heap_parse.h"

#include <algorithm>

#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;
using mcpleak::test::read_tool_fixture;

namespace {

const HeapClass* find(const HeapReport& r, std::string_view name) {
  auto it = std::find_if(r.classes.begin(), r.classes.end(), [&](const HeapClass& c) { return c.name == name; });
  return it == r.classes.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("heap: one zone's table, classes with type and binary, zone totals", "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/one_zone_xpc_2018.txt"));
  REQUIRE(r);
  CHECK(r->classes.size() == 7);
  CHECK(r->total_nodes == 1159u);
  CHECK(r->total_bytes == 138288u);
  const HeapClass* non_object = find(*r, "non-object");
  REQUIRE(non_object);
  CHECK(non_object->count == 1146);
  CHECK(non_object->bytes == 137296);
  CHECK(non_object->kind.empty());
  const HeapClass* xpc = find(*r, "OS_xpc_dictionary");
  REQUIRE(xpc);
  CHECK(xpc->count == 2);
  CHECK(xpc->bytes == 384);
  CHECK(xpc->kind == "ObjC");
  CHECK(xpc->binary == "libxpc.dylib");
  CHECK(r->skipped_lines == 0);
}

TEST_CASE("heap: without an all-zones table the zones' tables are summed by class", "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/zones_customobject.txt"));
  REQUIRE(r);
  CHECK(r->pid == 25073);  // "Process 25073: 3 zones"
  const HeapClass* objects = find(*r, "CustomObject");
  REQUIRE(objects);
  CHECK(objects->count == 1000);
  CHECK(objects->bytes == 163840000);
  CHECK(objects->binary == "VMResearch");
  // non-object: 12771 in the default zone + 1 in the custom zone.
  const HeapClass* non_object = find(*r, "non-object");
  REQUIRE(non_object);
  CHECK(non_object->count == 12772);
  CHECK(non_object->bytes == 779136 + 32);
  // Names with spaces and parentheses keep them; CFType rows read as such.
  const HeapClass* values = find(*r, "CFDictionary (Value Storage)");
  REQUIRE(values);
  CHECK(values->kind == "C");
  CHECK(find(*r, "CFBasicHash")->kind == "CFType");
  CHECK(r->total_nodes == 13993u + 1 + 0);
  CHECK(r->total_bytes == 164637440u + 32);
  CHECK(r->skipped_lines == 0);  // "......" lies outside a table (after its blank line)
}

TEST_CASE("heap: the all-zones table after MallocStackLogging noise, the per-zone ones ignored",
          "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/all_zones_ax_msl_noise.txt"));
  REQUIRE(r);
  CHECK(r->process == "Python");
  CHECK(r->pid == 8841);
  CHECK(r->total_nodes == 1304811u);
  CHECK(r->total_bytes == 412377536u);
  CHECK(r->classes.size() == 10);
  const HeapClass* observers = find(*r, "AXObserver");
  REQUIRE(observers);
  CHECK(observers->count == 6201);
  CHECK(observers->kind == "CFType");
  CHECK(observers->binary == "HIServices");
  CHECK(find(*r, "AXUIElement")->count == 61932);  // not added to the default zone's copy
  CHECK(find(*r, "std::__1::basic_string<char>")->kind == "C++");
  CHECK(r->classes.front().name == "non-object");  // most numerous first
}

TEST_CASE("heap: an unreadable row is skipped and counted, nothing readable is an error", "[probes][macos-tools]") {
  std::string text = read_tool_fixture("heap/one_zone_xpc_2018.txt");
  const auto at = text.find("        2       384");
  REQUIRE(at != std::string::npos);
  text.replace(at, 18, "        two     3x4");
  auto r = parse_heap(text);
  REQUIRE(r);
  CHECK(r->skipped_lines == 1);
  CHECK(r->classes.size() == 6);
  CHECK(find(*r, "OS_xpc_dictionary") == nullptr);
  CHECK_FALSE(parse_heap("Process 1: 0 zones\n"));
  auto header_only = parse_heap("    COUNT     BYTES       AVG   CLASS_NAME    TYPE    BINARY\n    =====\n  x y z\n");
  REQUIRE_FALSE(header_only);
  CHECK(header_only.error().code == Errc::parse);
}

TEST_CASE("heap on macOS 26: Found line, Swift rows with an <unknown> binary", "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/macos26_swift_rows_trimmed.txt"));
  REQUIRE(r);
  CHECK(r->process == "MacPerfMonitor");
  CHECK(r->pid == 14047);
  CHECK(r->total_nodes == 202503u);
  CHECK(r->total_bytes == 47995927u);
  REQUIRE(r->classes.size() == 5);
  const HeapClass* closures = find(*r, "Closure context");
  REQUIRE(closures);
  CHECK(closures->count == 5540);
  CHECK(closures->bytes == 892512);
  CHECK(closures->kind == "Swift");
  CHECK(closures->binary == "<unknown>");
  CHECK(find(*r, "LocalizedTextStorage")->binary == "SwiftUICore");
  CHECK(find(*r, "Class.data (class_rw_t)")->kind == "C");
  CHECK(r->skipped_lines == 0);
}

TEST_CASE("heap: MallocStackLogging caller names wider than the column keep TYPE and BINARY",
          "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/msl_caller_names_overflow.txt"));
  REQUIRE(r);
  CHECK_FALSE(r->total_nodes);  // no "All zones:" or "Zone" line in the quote
  REQUIRE(r->classes.size() == 3);
  CHECK(r->classes[0].name == "MTLTextureDescriptorInternal");
  CHECK(r->classes[0].count == 1990110);
  CHECK(r->classes[0].binary == "Metal");
  CHECK(r->classes[1].name == "malloc in AnsiRealloc(void*, unsigned long, unsigned int)");
  CHECK(r->classes[1].kind == "C");
  CHECK(r->classes[1].binary == "TestNiagara");
  CHECK(r->classes[1].bytes == 250823968);
  CHECK(r->classes[2].name == "malloc in FMallocAnsi::Malloc(unsigned long, unsigned int)");
  CHECK(r->classes[2].kind == "C++");
  CHECK(r->classes[2].binary == "TestNiagara");  // trailing spaces dropped
}

TEST_CASE("heap: the old layout without TYPE and BINARY keeps names whole", "[probes][macos-tools]") {
  auto r = parse_heap(read_tool_fixture("heap/old_layout_no_type_binary_handmade.txt"));
  REQUIRE(r);
  CHECK(r->pid == 812);
  CHECK(r->total_nodes == 5210u);
  CHECK(r->total_bytes == 396112u);
  REQUIRE(r->classes.size() == 6);
  const HeapClass* fields = find(*r, "NSCFArray[12]");
  REQUIRE(fields);
  CHECK(fields->count == 150);
  CHECK(fields->bytes == 52800);
  // Its last word is a TYPE value of the newer layout, but this layout has no TYPE.
  const HeapClass* proxy = find(*r, "Proxy Object C");
  REQUIRE(proxy);
  CHECK(proxy->kind.empty());
  CHECK(proxy->count == 10);
  CHECK(std::all_of(r->classes.begin(), r->classes.end(), [](const HeapClass& c) { return c.binary.empty(); }));
}
