// The heap-snapshot parser and the memlab diff on real .heapsnapshot files that node
// writes for the test: objects kept between the first and second snapshot are found
// with their retainer path; objects dropped again before the third are not.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/analysis/heap_diff.h"
#include "harness/attribution/heap_diff_job.h"
#include "probes/heapsnapshot_parse.h"
#include "tests/support/catch.h"

using namespace mcpleak;
namespace fs = std::filesystem;

namespace {

// Three snapshots of one node process: 50 LeakyThing kept in globalThis.leakyThings
// and 30 Transient made between the first and the second, dropped before the third.
// One folder per test process (ctest runs the cases of this file in parallel), removed
// when the process ends.
struct SnapshotFolder {
  fs::path dir = fs::path(MCPLEAK_BINARY_DIR) / "hook-test" / ("snapshots-" + std::to_string(::getpid()));
  SnapshotFolder() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string script =
        "const v8 = require('v8'); class LeakyThing { constructor(i) { this.i = i; } } "
        "class Transient { constructor(i) { this.i = i; } } "
        "globalThis.leakyThings = []; let transients = []; "
        "v8.writeHeapSnapshot(process.argv[1] + '/1.heapsnapshot'); "
        "for (let i = 0; i < 50; i++) globalThis.leakyThings.push(new LeakyThing(i)); "
        "for (let i = 0; i < 30; i++) transients.push(new Transient(i)); "
        "v8.writeHeapSnapshot(process.argv[1] + '/2.heapsnapshot'); "
        "transients = null; "
        "v8.writeHeapSnapshot(process.argv[1] + '/3.heapsnapshot');";
    const std::string cmd = "node -e \"" + script + "\" " + dir.string();
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~SnapshotFolder() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const fs::path& snapshots() {
  static const SnapshotFolder folder;
  return folder.dir;
}

std::ifstream open(const std::string& name) { return std::ifstream(snapshots() / name, std::ios::binary); }

}  // namespace

TEST_CASE("a real heap snapshot parses into flat arrays that agree with its own counts", "[heapsnapshot]") {
  auto in = open("3.heapsnapshot");
  auto s = parse_heapsnapshot(in);
  REQUIRE(s);
  // The file states its node and edge counts in snapshot.meta's sibling fields.
  std::ifstream raw(snapshots() / "3.heapsnapshot");
  std::string head(4096, '\0');
  raw.read(head.data(), 4096);
  const auto count_after = [&](const std::string& key) {
    const auto at = head.find("\"" + key + "\":");
    REQUIRE(at != std::string::npos);
    return std::stoull(head.substr(at + key.size() + 3));
  };
  CHECK(s->node_count() == count_after("node_count"));
  CHECK(s->edges.size() / s->edge_fields.size() == count_after("edge_count"));
  CHECK(s->node_types.front() == "hidden");
  CHECK(s->edge_types.back() == "weak");
  CHECK(s->strings.size() > 1000);
}

TEST_CASE("ids-only parsing keeps one sorted id per node", "[heapsnapshot]") {
  auto graph_in = open("1.heapsnapshot");
  auto graph = parse_heapsnapshot(graph_in);
  REQUIRE(graph);
  auto ids_in = open("1.heapsnapshot");
  auto ids = heapsnapshot_ids(ids_in);
  REQUIRE(ids);
  CHECK(ids->size() == graph->node_count());
  CHECK(std::is_sorted(ids->begin(), ids->end()));
  CHECK(graph->strings.size() > 0);
}

TEST_CASE("objects kept since the second snapshot are found with their retainer path, dropped ones are not",
          "[heapsnapshot]") {
  auto in1 = open("1.heapsnapshot");
  auto in2 = open("2.heapsnapshot");
  auto in3 = open("3.heapsnapshot");
  auto ids1 = heapsnapshot_ids(in1);
  auto ids2 = heapsnapshot_ids(in2);
  auto third = parse_heapsnapshot(in3);
  REQUIRE(ids1);
  REQUIRE(ids2);
  REQUIRE(third);
  const HeapSnapshotDiff d = analysis::diff_heap_snapshots(*ids1, *ids2, *third, 50, 50);
  const RetainedGroup* leaky = nullptr;
  bool transient = false;
  for (const auto& g : d.groups) {
    if (g.constructor == "LeakyThing") leaky = &g;
    transient |= g.constructor == "Transient";
  }
  REQUIRE(leaky);
  CHECK(leaky->type == "object");
  CHECK(leaky->count == 50);
  CHECK(leaky->per_call == Approx(1.0));
  CHECK(leaky->self_bytes > 0);
  std::string path;
  for (const auto& hop : leaky->retainer_path) path += hop + " > ";
  INFO(path);
  CHECK(path.find("leakyThings > Array > [") != std::string::npos);
  CHECK(leaky->retainer_path.back() == "LeakyThing");
  CHECK_FALSE(transient);
  CHECK(d.still_alive <= d.new_in_second);
}

TEST_CASE("the diff job reads three files and writes heap-diff.PID.json beside them", "[heapsnapshot]") {
  const std::string dir = (snapshots() / "job").string();
  fs::create_directories(dir);
  const std::vector<TakenSnapshot> three = {{(snapshots() / "1.heapsnapshot").string(), 100},
                                            {(snapshots() / "2.heapsnapshot").string(), 150},
                                            {(snapshots() / "3.heapsnapshot").string(), 200}};
  auto d = diff_snapshot_files(4242, three, dir);
  REQUIRE(d);
  CHECK(d->pid == 4242);
  CHECK(d->calls == std::vector<std::uint64_t>{100, 150, 200});
  CHECK(d->snapshots.front() == "1.heapsnapshot");
  CHECK(fs::exists(dir + "/heap-diff.4242.json"));
  auto missing = diff_snapshot_files(4242, {three[0], {"/nonexistent.heapsnapshot", 150}, three[2]}, dir);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().describe().find("/nonexistent.heapsnapshot") != std::string::npos);
}

TEST_CASE("a truncated or malformed snapshot is a parse error, not a crash", "[heapsnapshot]") {
  std::ifstream whole(snapshots() / "1.heapsnapshot", std::ios::binary);
  std::stringstream text;
  text << whole.rdbuf();
  std::istringstream truncated(text.str().substr(0, text.str().size() / 2));
  auto t = parse_heapsnapshot(truncated);
  REQUIRE_FALSE(t);
  CHECK(t.error().message.find("JSON error") != std::string::npos);
  std::istringstream uneven(
      R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["object"]],)"
      R"("edge_fields":["type","name_or_index","to_node"],"edge_types":[["property"]]}},"nodes":[0,0,1,8],"edges":[],"strings":[""]})");
  auto u = parse_heapsnapshot(uneven);
  REQUIRE_FALSE(u);
  CHECK(u.error().message.find("not a multiple of 5 fields") != std::string::npos);
  std::istringstream outside(
      R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["object"]],)"
      R"("edge_fields":["type","name_or_index","to_node"],"edge_types":[["property"]]}},"nodes":[0,0,1,8,1],)"
      R"("edges":[0,0,500],"strings":[""]})");
  auto o = parse_heapsnapshot(outside);
  REQUIRE_FALSE(o);
  CHECK(o.error().message.find("outside the node array") != std::string::npos);
  std::istringstream not_json("[1,2,3]");
  CHECK_FALSE(parse_heapsnapshot(not_json));
}
