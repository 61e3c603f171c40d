// What --attribute macos makes of heap(1): its classes as checkpoint types (read from a
// real capture), the environment it starts the server with. The tool runs themselves
// are macOS-only (type-checked there).
#include "harness/attribution/macos_checkpointer.h"

#include <stdlib.h>
#include <unistd.h>  // mkdtemp on macOS

#include <algorithm>
#include <filesystem>
#include <string>

#include "probes/heap_parse.h"
#include "tests/support/catch.h"
#include "tests/unit/probes/apple_tool_fixture.h"

using namespace mcpleak;

TEST_CASE("heap(1) classes become checkpoint types, malloc's untyped blocks do not", "[attribution][classes]") {
  auto report = parse_heap(mcpleak::test::read_tool_fixture("heap/zones_customobject.txt"));
  REQUIRE(report);
  const auto types = heap_classes_as_types(*report);
  CHECK(types.size() == report->classes.size() - 1);  // all but "non-object"
  CHECK(std::none_of(types.begin(), types.end(), [](const TypeSnapshot& t) { return t.type == "non-object"; }));
  auto custom = std::find_if(types.begin(), types.end(), [](const TypeSnapshot& t) { return t.type == "CustomObject"; });
  REQUIRE(custom != types.end());
  CHECK(custom->count == 1000);
  CHECK(custom->bytes == 163840000);
}

TEST_CASE("the macos attribution starts the server with MallocStackLogging in lite mode", "[attribution][classes]") {
  AttributionOptions o;
  o.mode = AttributeMode::macos;
  std::string dir = (std::filesystem::temp_directory_path() / "mcpleak-macos-taker-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()));
  {
    MacosCheckpointer taker(o, dir, [] { return false; });
    const auto env = taker.environment();
    REQUIRE(env.contains("MallocStackLogging"));
    CHECK(env.at("MallocStackLogging") == "lite");
    CHECK_FALSE(taker.done());  // its checkpoints.jsonl could be opened
  }
  std::filesystem::remove_all(dir);
}
