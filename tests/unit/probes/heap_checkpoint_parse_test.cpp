// The hooks' checkpoint answers: text written inside the server's process, read without
// trusting it.
#include "probes/heap_checkpoint_parse.h"

#include "tests/support/catch.h"

using namespace mcpleak;

TEST_CASE("a Python checkpoint line reads sites, stacks, types and the added fields", "[hooks]") {
  const auto c = parse_heap_checkpoint(
      R"({"ok":true,"pid":42,"runtime":"python","version":"3.11.2","index":2,"t_s":7.5,"calls":140,
          "live_heap_bytes":900000,"hook_overhead_bytes":60000,"took_s":0.4,
          "sites":[{"key":"/srv/a.py:18","bytes":819200,"count":100,
                    "stack":[{"file":"/srv/a.py","line":18,"function":"_remember"},
                             {"file":"/srv/a.py","line":23,"function":"_record"}]}],
          "types":[{"type":"builtins.bytearray","count":50,"bytes":820000}]})");
  REQUIRE(c);
  CHECK(c->pid == 42);
  CHECK(c->runtime == "python");
  CHECK(c->version == "3.11.2");
  CHECK(c->index == 2);
  CHECK(c->t_s == 7.5);
  CHECK(c->calls == 140);
  CHECK(c->live_heap_bytes == 900000);
  CHECK(c->hook_overhead_bytes == 60000u);
  REQUIRE(c->sites.size() == 1);
  CHECK(c->sites[0].key == "/srv/a.py:18");
  CHECK(c->sites[0].bytes == 819200);
  CHECK(c->sites[0].count == 100u);
  REQUIRE(c->sites[0].stack.size() == 2);
  CHECK(c->sites[0].stack[0].function == "_remember");
  CHECK(c->sites[0].stack[1].line == 23);
  REQUIRE(c->types.size() == 1);
  CHECK(c->types[0].type == "builtins.bytearray");
  CHECK(c->types[0].count == 50);
}

TEST_CASE("a Node checkpoint has no block counts and no types", "[hooks]") {
  const auto c = parse_heap_checkpoint(
      R"({"ok":true,"sites":[{"key":"/srv/s.js:12","bytes":65536,"stack":[{"function":"f","file":"/srv/s.js","line":12}]}],
          "live_heap_bytes":5000000,"major_gcs":[[1.0,4000000]]})");
  REQUIRE(c);
  REQUIRE(c->sites.size() == 1);
  CHECK_FALSE(c->sites[0].count.has_value());
  CHECK_FALSE(c->hook_overhead_bytes.has_value());
  CHECK(c->types.empty());
}

TEST_CASE("a failed answer is an error carrying the hook's message", "[hooks]") {
  const auto c = parse_heap_checkpoint(R"({"ok":false,"error":"tracemalloc is not tracing"})");
  REQUIRE_FALSE(c);
  CHECK(c.error().message == "the hook failed: tracemalloc is not tracing");
}

TEST_CASE("members of the wrong type read as absent and keyless entries are skipped", "[hooks]") {
  const auto c = parse_heap_checkpoint(
      R"({"ok":true,"pid":"42","live_heap_bytes":-5,"sites":[{"bytes":10},{"key":"a:1","bytes":"many","stack":"no"},7],
          "types":[{"count":3},{"type":"T","count":2.0}]})");
  REQUIRE(c);
  CHECK(c->pid == 0);
  CHECK(c->live_heap_bytes == 0);
  REQUIRE(c->sites.size() == 1);
  CHECK(c->sites[0].key == "a:1");
  CHECK(c->sites[0].bytes == 0);
  CHECK(c->sites[0].stack.empty());
  REQUIRE(c->types.size() == 1);
  CHECK(c->types[0].count == 2);
}

TEST_CASE("text that is not a JSON object is a parse error", "[hooks]") {
  CHECK_FALSE(parse_heap_checkpoint("not json"));
  CHECK_FALSE(parse_heap_checkpoint("[1,2]"));
  CHECK(parse_heap_checkpoint("{\"ok\":true}"));
}

TEST_CASE("a checkpoint mcpleak took itself reads back as written", "[hooks]") {
  HeapCheckpoint c;
  c.pid = 4242;
  c.runtime = "native";
  c.version = "heaptrack 1.4.0";
  c.index = 3;
  c.t_s = 12.5;
  c.calls = 160;
  c.live_heap_bytes = 1 << 20;
  c.took_s = 0.25;
  c.sites.push_back({"grow (a.c:4) < main (a.c:9)", 40960, 10, {{"grow", "/src/a.c", 4}, {"main", "/src/a.c", 9}}});
  c.sites.push_back({"no count", 2048, std::nullopt, {}});
  c.types.push_back({"AXObserver", 7, 448});
  auto back = heap_checkpoint_from_json(heap_checkpoint_to_json(c));
  REQUIRE(back);
  CHECK(back->pid == 4242);
  CHECK(back->runtime == "native");
  CHECK(back->version == "heaptrack 1.4.0");
  CHECK(back->index == 3);
  CHECK(back->t_s == 12.5);
  CHECK(back->calls == 160);
  CHECK(back->live_heap_bytes == 1u << 20);
  CHECK(back->took_s == 0.25);
  CHECK_FALSE(back->hook_overhead_bytes);
  REQUIRE(back->sites.size() == 2);
  CHECK(back->sites[0].key == "grow (a.c:4) < main (a.c:9)");
  CHECK(back->sites[0].bytes == 40960);
  CHECK(back->sites[0].count == 10u);
  REQUIRE(back->sites[0].stack.size() == 2);
  CHECK(back->sites[0].stack[1].function == "main");
  CHECK(back->sites[0].stack[1].line == 9);
  CHECK_FALSE(back->sites[1].count);
  REQUIRE(back->types.size() == 1);
  CHECK(back->types[0].type == "AXObserver");
  CHECK(back->types[0].count == 7);
}
