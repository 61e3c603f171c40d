// mcp_test_server: a small, real MCP stdio server for mcpleak's end-to-end tests, with
// flags that make it misbehave in one known way each (leak a known amount, crash, hang,
// flood stderr, print junk). Tools: Snapshot, echo, App, Diagnostics.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

struct Options {
  std::size_t leak_per_call = 0;
  std::size_t leak_per_sec = 0;
  std::size_t transient = 0;
  std::size_t huge_response = 0;
  int crash_after = -1;
  int hang_after = -1;
  int freeze_after = -1;
  int error_every = 0;
  int exit_after_init = -1;
  bool flood_stderr = false;
  bool junk_stdout = false;
  bool junk_only = false;
  bool no_init = false;
  bool notify_before_init = false;
  bool ignore_sigterm = false;
  bool close_stdout_after_init = false;
  int children = 0;
  std::size_t child_leak_per_sec = 0;
  std::size_t plateau_bytes = 0;
  double plateau_seconds = 60;
  // Hostile protocol behaviour (tests/e2e/hostile_e2e_test.cpp).
  std::size_t huge_line = 0;
  bool wrong_id = false;
  bool answer_twice = false;
  bool unsolicited = false;
};

std::mutex g_out_mutex;
std::vector<char*> g_leaked;  // held on purpose: this is the leak
std::atomic<std::uint64_t> g_leaked_bytes{0};

void send(const json& msg) {
  std::lock_guard lock(g_out_mutex);
  std::cout << msg.dump() << "\n" << std::flush;
}

// Allocates and touches every page, so the bytes count as dirty anonymous memory.
char* touched_block(std::size_t bytes) {
  char* p = static_cast<char*>(std::malloc(bytes));
  if (p) std::memset(p, 0xA5, bytes);
  return p;
}

void leak(std::size_t bytes) {
  if (bytes == 0) return;
  static std::mutex m;
  std::lock_guard lock(m);
  g_leaked.push_back(touched_block(bytes));
  g_leaked_bytes += bytes;
}

// Leaks `per_sec` bytes a second in ten ticks: time-driven growth, calls or not.
void leak_over_time(std::size_t per_sec) {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    leak(per_sec / 10);
  }
}

// Leaks `total` bytes evenly over the first `seconds` seconds, then holds them and stops:
// a cache that fills and plateaus, which a leak detector must not call leaking.
void leak_then_plateau(std::size_t total, double seconds) {
  const auto ticks = static_cast<std::size_t>(seconds * 10 > 1 ? seconds * 10 : 1);
  for (std::size_t i = 0; i < ticks; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    leak(total / ticks);
  }
}

json tools_list() {
  auto tool = [](const char* name, json props) {
    return json{{"name", name},
                {"description", std::string("test tool ") + name},
                {"inputSchema", {{"type", "object"}, {"properties", props}}}};
  };
  return {{"tools",
           {tool("Snapshot", {{"use_vision", {{"type", "boolean"}}}}),
            tool("echo", {{"message", {{"type", "string"}}}}),
            tool("App", {{"mode", {{"type", "string"}}}, {"name", {{"type", "string"}}}}),
            tool("Diagnostics", json::object())}}};
}

// Writes `bytes` of 'x' with no newline, in chunks so this server never holds the line:
// the reader, not the writer, is what the test measures.
void write_huge_line(std::size_t bytes) {
  std::lock_guard lock(g_out_mutex);
  const std::string chunk(1 << 20, 'x');
  for (std::size_t left = bytes; left > 0;) {
    const std::size_t n = left < chunk.size() ? left : chunk.size();
    std::cout.write(chunk.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  std::cout.flush();
}

json text_result(const std::string& text) {
  return {{"content", {{{"type", "text"}, {"text", text}}}}};
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"MCP test server for mcpleak's end-to-end tests"};
  app.add_option("--leak-per-call", o.leak_per_call, "bytes retained per tools/call");
  app.add_option("--leak-per-sec", o.leak_per_sec, "bytes retained per second, calls or not");
  app.add_option("--transient", o.transient, "bytes allocated and freed per call");
  app.add_option("--huge-response", o.huge_response, "bytes of text in each Snapshot answer");
  app.add_option("--crash-after", o.crash_after, "abort() after N tool calls");
  app.add_option("--hang-after", o.hang_after, "stop answering tool calls after N of them (ping still answered)");
  app.add_option("--freeze-after", o.freeze_after,
                 "after N tool calls stop reading stdin altogether: nothing is answered, ping included");
  app.add_option("--error-every", o.error_every,
                 "answer every K-th tool call with an isError result (1: every call fails)");
  app.add_option("--exit-after-init", o.exit_after_init, "exit with this code right after initialize");
  app.add_flag("--flood-stderr", o.flood_stderr, "write to stderr as fast as possible");
  app.add_flag("--junk-stdout", o.junk_stdout, "print non-JSON lines between answers");
  app.add_flag("--junk-only", o.junk_only, "print only non-JSON lines, never answer");
  app.add_flag("--no-init", o.no_init, "never answer initialize");
  app.add_flag("--notify-before-init", o.notify_before_init, "send notifications before answering initialize");
  app.add_flag("--ignore-sigterm", o.ignore_sigterm, "ignore SIGTERM (needs SIGKILL)");
  app.add_flag("--close-stdout-after-init", o.close_stdout_after_init, "close stdout but keep running");
  app.add_option("--children", o.children, "spawn N child processes (a process tree)");
  app.add_option("--child-leak-per-sec", o.child_leak_per_sec, "bytes each child leaks per second");
  app.add_option("--plateau-bytes", o.plateau_bytes, "bytes retained over the first --plateau-seconds, then no more");
  app.add_option("--plateau-seconds", o.plateau_seconds, "how long the plateau ramp lasts")->capture_default_str();
  app.add_option("--huge-line", o.huge_line, "on the first tools/call, write BYTES of 'x' with no newline, then never answer");
  app.add_flag("--wrong-id", o.wrong_id, "answer tools/call with the request's id + 1000");
  app.add_flag("--answer-twice", o.answer_twice, "send each tools/call response twice");
  app.add_flag("--unsolicited", o.unsolicited, "send a response to an id never requested before each tools/call answer");
  CLI11_PARSE(app, argc, argv);

  if (o.ignore_sigterm) ::signal(SIGTERM, SIG_IGN);
  for (int i = 0; i < o.children; ++i) {
    if (::fork() == 0) {
      // A child keeps neither end of the MCP pipes busy; it only lives and maybe leaks.
      std::fclose(stdin);
      std::size_t per_sec = o.child_leak_per_sec;
      for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (per_sec) g_leaked.push_back(touched_block(per_sec / 10));
      }
    }
  }
  if (o.flood_stderr) {
    std::thread([] {
      const std::string line(4096, 'E');
      for (;;) std::fprintf(stderr, "%s\n", line.c_str());
    }).detach();
  }
  if (o.leak_per_sec) std::thread(leak_over_time, o.leak_per_sec).detach();
  if (o.plateau_bytes) std::thread(leak_then_plateau, o.plateau_bytes, o.plateau_seconds).detach();
  if (o.junk_only) {
    for (;;) {
      std::printf("this is not JSON-RPC\n");
      std::fflush(stdout);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  int calls = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    json msg = json::parse(line, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) {
      send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", -32700}, {"message", "parse error"}}}});
      continue;
    }
    const std::string method = msg.value("method", "");
    if (!msg.contains("id")) continue;  // notifications
    const json id = msg["id"];
    if (o.junk_stdout) {
      std::lock_guard lock(g_out_mutex);
      std::cout << "DEBUG: handling " << method << "\n";
    }
    if (method == "initialize") {
      if (o.no_init) continue;
      if (o.notify_before_init) {
        send({{"jsonrpc", "2.0"}, {"method", "notifications/message"},
              {"params", {{"level", "info"}, {"data", "starting up"}}}});
        send({{"jsonrpc", "2.0"}, {"id", "srv-1"}, {"method", "ping"}});
      }
      std::string version = msg["params"].value("protocolVersion", "2025-06-18");
      send({{"jsonrpc", "2.0"}, {"id", id},
            {"result", {{"protocolVersion", version}, {"capabilities", {{"tools", json::object()}}},
                        {"serverInfo", {{"name", "mcp-test-server"}, {"version", "1.0"}}}}}});
      if (o.exit_after_init >= 0) std::exit(o.exit_after_init);
      if (o.close_stdout_after_init) {
        std::fclose(stdout);
        ::close(STDOUT_FILENO);
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    } else if (method == "ping") {
      send({{"jsonrpc", "2.0"}, {"id", id}, {"result", json::object()}});
    } else if (method == "tools/list") {
      send({{"jsonrpc", "2.0"}, {"id", id}, {"result", tools_list()}});
    } else if (method == "tools/call") {
      const std::string tool = msg["params"].value("name", "");
      if (tool == "Diagnostics") {
        send({{"jsonrpc", "2.0"}, {"id", id},
              {"result", text_result(json{{"leaked_bytes", g_leaked_bytes.load()},
                                          {"blocks", g_leaked.size()}}.dump())}});
        continue;
      }
      ++calls;
      if (o.huge_line) {
        if (calls == 1) write_huge_line(o.huge_line);
        continue;  // never answer, stay alive
      }
      if (o.crash_after >= 0 && calls > o.crash_after) std::abort();
      if (o.hang_after >= 0 && calls > o.hang_after) continue;
      if (o.freeze_after >= 0 && calls > o.freeze_after) {
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      if (o.error_every > 0 && calls % o.error_every == 0) {
        json failed = text_result("test failure #" + std::to_string(calls) + ": the test server was told to fail");
        failed["isError"] = true;
        send({{"jsonrpc", "2.0"}, {"id", id}, {"result", failed}});
        continue;
      }
      leak(o.leak_per_call);
      if (o.transient) std::free(touched_block(o.transient));
      std::string text = tool + " ok #" + std::to_string(calls);
      if (tool == "Snapshot" && o.huge_response) text = std::string(o.huge_response, 'x');
      if (o.unsolicited) {
        // mcpleak numbers requests from 1 upwards; it never gets this far.
        send({{"jsonrpc", "2.0"}, {"id", 1000000 + calls}, {"result", text_result("unasked")}});
      }
      const json answer_id = o.wrong_id && id.is_number_integer() ? json(id.get<std::int64_t>() + 1000) : id;
      const json answer = {{"jsonrpc", "2.0"}, {"id", answer_id}, {"result", text_result(text)}};
      send(answer);
      if (o.answer_twice) send(answer);
    } else {
      send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32601}, {"message", "method not found"}}}});
    }
  }
  return 0;
}
