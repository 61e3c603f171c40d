// libFuzzer target: what a Streamable HTTP server's bytes reach first. The input is split
// into random chunks and fed to an SseDecoder: chunking must never change the events, no
// event may exceed the cap. The same bytes are also parsed as an --http URL (must not
// crash; an accepted URL must round-trip through url()).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "harness/mcp/http_endpoint.h"
#include "harness/mcp/sse.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

struct Decoded {
  std::vector<std::string> events;
  std::size_t oversized = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = fuzz::chunked_input(data, size);
  if (!in) return 0;
  const std::size_t cap = in->cap;
  const std::string_view bytes = in->bytes;
  using fuzz::require;

  auto decode = [cap](Decoded& out, const std::vector<std::string_view>& chunks) {
    mcpleak::SseDecoder d(cap);
    for (auto c : chunks) {
      d.feed(c, [&](std::string_view event) {
        require(event.size() <= cap);
        out.events.emplace_back(event);
      });
    }
    out.oversized = d.oversized_events();
  };
  Decoded whole, pieces;
  decode(whole, {bytes});
  decode(pieces, in->chunks);
  require(whole.events == pieces.events);
  require(whole.oversized == pieces.oversized);

  if (auto e = mcpleak::parse_http_url(bytes)) {
    require(e->port >= 1 && e->port <= 65535);
    auto again = mcpleak::parse_http_url(e->url());
    require(again && again->host == e->host && again->port == e->port && again->path == e->path);
  }
  return 0;
}
