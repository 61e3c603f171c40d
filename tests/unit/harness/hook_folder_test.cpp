// The runtime hooks in real Python and Node processes: started through the environment
// a HookFolder gives, they announce themselves, answer commands through files, chain to a
// venv's own sitecustomize, and stay out of `python -I` and npm's own processes.
#include "harness/attribution/hook_folder.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/attribution/checkpointer.h"
#include "harness/process/child_group.h"
#include "probes/heap_checkpoint_parse.h"
#include "tests/support/catch.h"

using namespace mcpleak;
namespace fs = std::filesystem;

namespace {

// Sized for a loaded 2-core machine: an interpreter starting, a gc and a snapshot.
constexpr auto kDeadline = std::chrono::seconds(60);

template <class F>
bool wait_for(F condition) {
  const auto end = std::chrono::steady_clock::now() + kDeadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

struct Spawned {
  ChildPipes pipes;
  std::optional<ChildGroup> group;
};

Spawned spawn(const std::vector<std::string>& argv, const HookFolder& folder) {
  Spawned s;
  auto g = ChildGroup::spawn(argv, s.pipes, folder.environment());
  REQUIRE(g);
  s.group.emplace(std::move(*g));
  return s;
}

std::optional<HookHello> hello_of(const HookFolder& folder, pid_t pid) {
  for (auto& h : folder.hellos()) {
    if (h.pid == pid) return h;
  }
  return std::nullopt;
}

nlohmann::json ask(const HookFolder& folder, pid_t pid, nlohmann::json command, int seq) {
  command["seq"] = seq;
  REQUIRE(folder.send(pid, command));
  std::optional<nlohmann::json> answer;
  REQUIRE(wait_for([&] { return (answer = folder.answer(pid, seq)).has_value(); }));
  return *answer;
}

// A scratch folder under the build tree, emptied first.
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(MCPLEAK_BINARY_DIR) / "hook-test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("the hook folder is private, holds both hooks, and goes away with its owner", "[hooks]") {
  std::string path;
  {
    auto folder = HookFolder::create(AttributeMode::automatic);
    REQUIRE(folder);
    path = folder->path();
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(fs::file_size(path + "/python/sitecustomize.py") > 1000);
    CHECK(fs::file_size(path + "/node/mcpleak_hook.cjs") > 1000);
    const auto env = folder->environment();
    CHECK(env.at("MCPLEAK_HOOK_DIR") == path);
    CHECK(env.at("PYTHONPATH").rfind(path + "/python", 0) == 0);
    CHECK(env.at("NODE_OPTIONS").find("--require \"" + path + "/node/mcpleak_hook.cjs\"") == 0);
  }
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("a python-only folder sets no NODE_OPTIONS, a node-only one no PYTHONPATH", "[hooks]") {
  auto python = HookFolder::create(AttributeMode::python);
  REQUIRE(python);
  CHECK_FALSE(python->environment().contains("NODE_OPTIONS"));
  auto node = HookFolder::create(AttributeMode::node);
  REQUIRE(node);
  CHECK_FALSE(node->environment().contains("PYTHONPATH"));
}

TEST_CASE("a Python process says hello, starts tracing and answers a checkpoint", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  auto p = spawn({"/usr/bin/python3", "-c",
                  "import time\nkept = []\nwhile True:\n    kept.append(bytearray(4096)); time.sleep(0.01)"},
                 *folder);
  const pid_t pid = p.group->leader();
  REQUIRE(wait_for([&] { return hello_of(*folder, pid).has_value(); }));
  CHECK(hello_of(*folder, pid)->runtime == "python");
  CHECK(ask(*folder, pid, {{"op", "start"}, {"frames", 5}}, 1).value("ok", false));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it allocate something traced
  const auto answer = ask(*folder, pid, {{"op", "checkpoint"}}, 2);
  INFO(answer.dump().substr(0, 2000));
  const auto c = heap_checkpoint_from_json(answer);
  REQUIRE(c);
  REQUIRE_FALSE(c->sites.empty());
  CHECK(c->sites.front().key == "<string>:4");  // the line that keeps the bytearrays
  CHECK(c->live_heap_bytes > 0);
  bool bytearrays = false;
  for (const auto& t : c->types) bytearrays |= t.type == "builtins.bytearray" && t.count > 0;
  CHECK(bytearrays);
}

TEST_CASE("python -I ignores PYTHONPATH: no hook, and the process runs as usual", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  // Each script writes which sitecustomize Python imported: ours, under a plain start.
  const std::string which =
      "import sys; m = sys.modules.get('sitecustomize'); "
      "open(sys.argv[1] + '.tmp', 'w').write(getattr(m, '__file__', '') or ''); "
      "import os; os.rename(sys.argv[1] + '.tmp', sys.argv[1])";
  const fs::path dir = scratch("isolated");
  auto plain = spawn({"/usr/bin/python3", "-c", which, (dir / "plain").string()}, *folder);
  auto isolated = spawn({"/usr/bin/python3", "-I", "-c", which, (dir / "isolated").string()}, *folder);
  REQUIRE(wait_for([&] { return fs::exists(dir / "plain") && fs::exists(dir / "isolated"); }));
  std::ifstream plain_in(dir / "plain"), isolated_in(dir / "isolated");
  std::string plain_module, isolated_module;
  std::getline(plain_in, plain_module);
  std::getline(isolated_in, isolated_module);
  CHECK(plain_module == folder->path() + "/python/sitecustomize.py");
  CHECK(isolated_module.rfind(folder->path(), 0) != 0);
}

// subprocess with a preexec_fn runs Python's fork handlers in the child before it execs
// another program: that child must not announce itself (it could never answer).
TEST_CASE("a child forked only to exec another program says no hello", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  const fs::path marker = scratch("fork-exec") / "child-pid";
  auto p = spawn({"/usr/bin/python3", "-c",
                  "import subprocess, sys, time\n"
                  "child = subprocess.Popen(['sleep', '60'], preexec_fn=lambda: None)\n"
                  "open(sys.argv[1], 'w').write(str(child.pid))\n"
                  "time.sleep(60)",
                  marker.string()},
                 *folder);
  REQUIRE(wait_for([&] { return fs::exists(marker) && fs::file_size(marker) > 0; }));
  // The marker is written after the child forked and exec'd: a hello the child wrote in
  // between would be there by now. The parent's shows the hook is at work.
  REQUIRE(wait_for([&] { return hello_of(*folder, p.group->leader()).has_value(); }));
  std::ifstream in(marker);
  pid_t child = 0;
  in >> child;
  REQUIRE(child > 0);
  CHECK_FALSE(hello_of(*folder, child).has_value());
  CHECK(folder->hellos().size() == 1);
}

// Python imports the first sitecustomize on sys.path, ours now: the one it would have
// imported without us must still run. Which one that is depends on the interpreter
// (Debian's own /usr/lib/python3.X/sitecustomize.py comes before a venv's site-packages),
// so the test asks the same interpreter without the hook first.
TEST_CASE("the sitecustomize Python would have run without the hook still runs: a venv's", "[hooks]") {
  const fs::path dir = scratch("venv");
  ChildPipes pipes;
  auto make = ChildGroup::spawn(std::vector<std::string>{"/usr/bin/python3", "-m", "venv", "--without-pip",
                                                         (dir / "env").string()},
                                pipes);
  REQUIRE(make);
  REQUIRE(wait_for([&] { return make->poll().has_value(); }));
  REQUIRE(make->poll()->code == 0);
  fs::path site;
  for (const auto& e : fs::recursive_directory_iterator(dir / "env" / "lib")) {
    if (e.path().filename() == "site-packages") site = e.path();
  }
  REQUIRE_FALSE(site.empty());
  std::ofstream(site / "sitecustomize.py") << "open(__file__ + '.ran', 'a').close()\n";
  // Without the hook: which sitecustomize does this interpreter import?
  const fs::path plain = dir / "plain";
  const std::string python = (dir / "env" / "bin" / "python3").string();
  const std::string report_which =
      "import sys; m = sys.modules.get('sitecustomize'); "
      "open(sys.argv[1], 'w').write(getattr(m, '__file__', '') or '')";
  {
    ChildPipes plain_pipes;
    auto run = ChildGroup::spawn(std::vector<std::string>{python, "-c", report_which, plain.string()}, plain_pipes);
    REQUIRE(run);
    REQUIRE(wait_for([&] { return run->poll().has_value(); }));
  }
  std::ifstream plain_in(plain);
  std::string expected((std::istreambuf_iterator<char>(plain_in)), std::istreambuf_iterator<char>());
  const bool theirs_ran_without = fs::exists(site / "sitecustomize.py.ran");
  fs::remove(site / "sitecustomize.py.ran");

  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  const fs::path hooked = dir / "hooked";
  auto p = spawn({python, "-c", "import time; open('" + hooked.string() + "', 'w').close(); time.sleep(60)"},
                 *folder);
  REQUIRE(wait_for([&] { return fs::exists(hooked); }));
  REQUIRE(wait_for([&] { return hello_of(*folder, p.group->leader()).has_value(); }));
  std::ifstream hello(folder->path() + "/hello." + std::to_string(p.group->leader()) + ".json");
  const auto j = nlohmann::json::parse(hello);
  INFO("without the hook: " << expected);
  CHECK(j["chained_sitecustomize"] == (expected.empty() ? nlohmann::json(nullptr) : nlohmann::json(expected)));
  CHECK(fs::exists(site / "sitecustomize.py.ran") == theirs_ran_without);
}

TEST_CASE("a sitecustomize on the user's PYTHONPATH runs after ours", "[hooks]") {
  const fs::path theirs = scratch("pythonpath");
  std::ofstream(theirs / "sitecustomize.py") << "open(__file__ + '.ran', 'a').close()\n";
  ::setenv("PYTHONPATH", theirs.c_str(), 1);
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  const auto env = folder->environment();
  ::unsetenv("PYTHONPATH");
  CHECK(env.at("PYTHONPATH") == folder->path() + "/python:" + theirs.string());
  ChildPipes pipes;
  auto g = ChildGroup::spawn(std::vector<std::string>{"/usr/bin/python3", "-c", "import time; time.sleep(60)"},
                             pipes, env);
  REQUIRE(g);
  REQUIRE(wait_for([&] { return hello_of(*folder, g->leader()).has_value(); }));
  CHECK(fs::exists(theirs / "sitecustomize.py.ran"));
  std::ifstream hello(folder->path() + "/hello." + std::to_string(g->leader()) + ".json");
  CHECK(nlohmann::json::parse(hello)["chained_sitecustomize"] == (theirs / "sitecustomize.py").string());
}

TEST_CASE("a Node process says hello and answers with sampled sites and its live heap", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::node);
  REQUIRE(folder);
  auto p = spawn({"node", "-e", "const kept = []; setInterval(() => kept.push(new Array(4096).fill(1)), 5);"},
                 *folder);
  const pid_t pid = p.group->leader();
  REQUIRE(wait_for([&] { return hello_of(*folder, pid).has_value(); }));
  CHECK(hello_of(*folder, pid)->runtime == "node");
  CHECK(ask(*folder, pid, {{"op", "start"}}, 1).value("ok", false));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto c = heap_checkpoint_from_json(ask(*folder, pid, {{"op", "checkpoint"}}, 2));
  REQUIRE(c);
  REQUIRE_FALSE(c->sites.empty());
  CHECK(c->sites.front().stack.front().file.find("[eval") != std::string::npos);
  CHECK(c->live_heap_bytes > 0);
}

TEST_CASE("an ES module entry point loads the hook too", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::node);
  REQUIRE(folder);
  const fs::path dir = scratch("esm");
  std::ofstream(dir / "server.mjs") << "import { setTimeout as sleep } from 'node:timers/promises';\n"
                                       "await sleep(60000);\n";
  auto p = spawn({"node", (dir / "server.mjs").string()}, *folder);
  REQUIRE(wait_for([&] { return hello_of(*folder, p.group->leader()).has_value(); }));
  CHECK(ask(*folder, p.group->leader(), {{"op", "start"}}, 1).value("ok", false));
}

TEST_CASE("npm's and npx's own node processes load no hook", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::node);
  REQUIRE(folder);
  const fs::path dir = scratch("npm") / "node_modules" / "npm" / "bin";
  fs::create_directories(dir);
  const fs::path marker = dir / "ran";
  std::ofstream(dir / "npx-cli.js") << "require('fs').writeFileSync(" << nlohmann::json(marker.string()).dump()
                                   << ", 'x');\n";
  auto p = spawn({"node", (dir / "npx-cli.js").string()}, *folder);
  REQUIRE(wait_for([&] { return fs::exists(marker); }));
  CHECK(folder->hellos().empty());
}

TEST_CASE("the checkpointer starts after warm-up and writes one line per process and checkpoint", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  auto p = spawn({"/usr/bin/python3", "-c", "import time\nwhile True: time.sleep(1)"}, *folder);
  REQUIRE(wait_for([&] { return !folder->hellos().empty(); }));
  const fs::path out = scratch("checkpointer") / "checkpoints.jsonl";
  AttributionOptions o;
  o.mode = AttributeMode::python;
  o.every_calls = 10;
  o.checkpoints = 3;
  Checkpointer cp(*folder, o, out.string(), [] { return false; });
  cp.after_call(1, 0.5, false);  // still warming up: nothing asked
  CHECK((!fs::exists(out) || fs::file_size(out) == 0));
  cp.after_call(5, 1.0, true);   // tracing starts, checkpoint 0
  cp.after_call(9, 1.5, true);   // not yet 10 calls on
  cp.after_call(15, 2.0, true);  // checkpoint 1
  CHECK_FALSE(cp.done());
  cp.after_call(25, 3.0, true);  // checkpoint 2: done
  CHECK(cp.done());
  std::ifstream in(out);
  std::vector<HeapCheckpoint> lines;
  for (std::string line; std::getline(in, line);) {
    auto c = parse_heap_checkpoint(line);
    REQUIRE(c);
    lines.push_back(*c);
  }
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].calls == 5);
  CHECK(lines[1].calls == 15);
  CHECK(lines[2].calls == 25);
  CHECK(lines[2].index == 2);
  CHECK(lines[2].pid == p.group->leader());
  CHECK(cp.notes().empty());
}

TEST_CASE("a hooked process that dies is noted and asked nothing more", "[hooks]") {
  auto folder = HookFolder::create(AttributeMode::python);
  REQUIRE(folder);
  auto p = spawn({"/usr/bin/python3", "-c", "import time\nwhile True: time.sleep(1)"}, *folder);
  REQUIRE(wait_for([&] { return !folder->hellos().empty(); }));
  AttributionOptions o;
  o.mode = AttributeMode::python;
  o.every_calls = 1;
  o.checkpoints = 5;
  Checkpointer cp(*folder, o, (scratch("dies") / "checkpoints.jsonl").string(), [] { return false; });
  cp.after_call(1, 1.0, true);
  p.group->terminate(std::chrono::seconds(2));
  cp.after_call(2, 2.0, true);
  CHECK(cp.done());
  REQUIRE(cp.notes().size() == 1);
  CHECK(cp.notes()[0].find("exited before answering 'checkpoint'") != std::string::npos);
}

TEST_CASE("the native attribute mode is a mode of its own that installs no runtime hook", "[attribution]") {
  auto mode = parse_attribute_mode("native");
  REQUIRE(mode);
  CHECK(*mode == AttributeMode::native);
  CHECK(std::string(attribute_mode_name(*mode)) == "native");
  CHECK_FALSE(hooks_python(*mode));
  CHECK_FALSE(hooks_node(*mode));
  auto bad = parse_attribute_mode("heaptrack");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("native") != std::string::npos);
}
