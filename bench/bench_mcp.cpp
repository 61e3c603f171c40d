// What the MCP driver costs per message: (1) one tools/call "echo" round trip against
// the real trivial server (tests/servers/mcp_test_server) spawned with ChildGroup,
// StdioTransport and McpClient, as the runner does; (2) LineSplitter + classify_line on
// a 1 MB response line, fed in 64 KiB chunks as pipe reads deliver it.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/mcp/client.h"
#include "harness/mcp/jsonrpc.h"
#include "harness/mcp/stdio_transport.h"
#include "harness/process/child_group.h"

namespace {

using namespace std::chrono_literals;

void BM_EchoRoundTrip(benchmark::State& state) {
  const std::string server = MCPLEAK_BINARY_DIR "/tests/servers/mcp_test_server";
  if (!std::filesystem::exists(server)) {
    state.SkipWithError(("not built: " + server).c_str());
    return;
  }
  const std::vector<std::string> argv = {server};
  mcpleak::ChildPipes pipes;
  auto group = mcpleak::ChildGroup::spawn(argv, pipes);
  if (!group) {
    state.SkipWithError(group.error().describe().c_str());
    return;
  }
  const auto log = std::filesystem::temp_directory_path() / "bench_mcp_server.log";
  mcpleak::StdioTransportOptions options;
  options.server_log_path = log.string();
  {
    mcpleak::StdioTransport transport(std::move(pipes), options);
    mcpleak::McpClient client(transport, nullptr);
    if (auto hello = client.initialize(10s); !hello) {
      state.SkipWithError(hello.error().describe().c_str());
      return;
    }
    const nlohmann::json args = {{"message", "hello"}};
    std::uint64_t bytes = 0;
    for (auto _ : state) {
      const auto out = client.call_tool("echo", args, 10s);
      if (!out.ok) {
        state.SkipWithError(out.error.c_str());
        break;
      }
      bytes += out.response_bytes;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  }
  group->terminate(2s);
  std::filesystem::remove(log);
}
BENCHMARK(BM_EchoRoundTrip)->UseRealTime();

void BM_SplitAndClassify1MB(benchmark::State& state) {
  const nlohmann::json result = {
      {"content", nlohmann::json::array({{{"type", "text"}, {"text", std::string(1 << 20, 'x')}}})}};
  const std::string line = mcpleak::make_result(1, result) + "\n";
  const std::size_t chunk = 64 * 1024;
  std::size_t messages = 0;
  for (auto _ : state) {
    mcpleak::LineSplitter splitter(256u << 20);
    for (std::size_t off = 0; off < line.size(); off += chunk) {
      splitter.feed(std::string_view(line).substr(off, chunk), [&](std::string_view l) {
        auto in = mcpleak::classify_line(l);
        messages += in.size();
        benchmark::DoNotOptimize(in);
      });
    }
  }
  if (messages != static_cast<std::size_t>(state.iterations())) state.SkipWithError("line not delivered once per iteration");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_SplitAndClassify1MB)->Unit(benchmark::kMillisecond);

// Framing alone, to separate its cost from JSON parsing.
void BM_Split1MB(benchmark::State& state) {
  const std::string line = std::string(1 << 20, 'x') + "\n";
  const std::size_t chunk = 64 * 1024;
  for (auto _ : state) {
    mcpleak::LineSplitter splitter(256u << 20);
    std::size_t got = 0;
    for (std::size_t off = 0; off < line.size(); off += chunk) {
      splitter.feed(std::string_view(line).substr(off, chunk),
                    [&](std::string_view l) { got += l.size(); });
    }
    benchmark::DoNotOptimize(got);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
}
BENCHMARK(BM_Split1MB)->Unit(benchmark::kMicrosecond);

}  // namespace
