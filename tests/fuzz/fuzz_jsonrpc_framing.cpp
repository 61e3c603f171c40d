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
#include "tests/fuzz/fuzz_input.h"

namespace {

struct Split {
  std::vector<std::string> lines;
  std::size_t oversized = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = fuzz::chunked_input(data, size);
  if (!in) return 0;
  const std::size_t cap = in->cap;
  const std::string_view bytes = in->bytes;
  using fuzz::require;

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
  for (auto chunk : in->chunks) {
    many.feed(chunk, collect(chunked));
    require(many.pending_bytes() <= cap);
  }
  chunked.oversized = many.oversized_lines();
  require(whole.lines == chunked.lines);
  require(whole.oversized == chunked.oversized);

  for (const auto& line : whole.lines) (void)mcpleak::classify_line(line);
  // The whole input as one line too: classify_line sees arbitrary JSON, not just short lines.
  (void)mcpleak::classify_line(bytes);
  return 0;
}
