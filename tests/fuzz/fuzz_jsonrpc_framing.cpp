// libFuzzer target: MCP's stdio framing. The input is split into random chunks and fed
// to a LineSplitter; every line is classified. Checks the splitter's own contract:
// chunking never changes the lines, no line exceeds the cap, nothing pending exceeds it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "harness/mcp/jsonrpc.h"

namespace {

struct Split {
  std::vector<std::string> lines;
  std::size_t oversized = 0;
};

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // Byte 0: the line cap (small, so the oversized path is reached); byte 1: chunk seed.
  const std::size_t cap = 1 + data[0] % 64;
  std::uint32_t seed = data[1];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  auto collect = [cap](Split& out) {
    return [&out, cap](std::string_view line) {
      require(line.size() <= cap);
      out.lines.emplace_back(line);
    };
  };
  Split whole;
  mcpleak::LineSplitter one(cap);
  one.feed(bytes, collect(whole));
  whole.oversized = one.oversized_lines();
  require(one.pending_bytes() <= cap);

  Split chunked;
  mcpleak::LineSplitter many(cap);
  for (std::size_t at = 0; at < bytes.size();) {
    seed = seed * 1103515245u + 12345u;
    const std::size_t n = 1 + (seed >> 16) % 17;
    many.feed(bytes.substr(at, n), collect(chunked));
    require(many.pending_bytes() <= cap);
    at += n;
  }
  chunked.oversized = many.oversized_lines();
  require(whole.lines == chunked.lines);
  require(whole.oversized == chunked.oversized);

  for (const auto& line : whole.lines) (void)mcpleak::classify_line(line);
  // The whole input as one line too: classify_line sees arbitrary JSON, not just short lines.
  (void)mcpleak::classify_line(bytes);
  return 0;
}
