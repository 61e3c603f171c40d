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

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

struct Decoded {
  std::vector<std::string> events;
  std::size_t oversized = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // Byte 0: the event cap (small, so the oversized path is reached); byte 1: chunk seed.
  const std::size_t cap = 1 + data[0] % 64;
  std::uint32_t seed = data[1];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

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
  std::vector<std::string_view> chunks;
  for (std::size_t at = 0; at < bytes.size();) {
    seed = seed * 1103515245u + 12345u;
    const std::size_t n = 1 + (seed >> 16) % 17;
    chunks.push_back(bytes.substr(at, n));
    at += n;
  }
  decode(pieces, chunks);
  require(whole.events == pieces.events);
  require(whole.oversized == pieces.oversized);

  if (auto e = mcpleak::parse_http_url(bytes)) {
    require(e->port >= 1 && e->port <= 65535);
    auto again = mcpleak::parse_http_url(e->url());
    require(again && again->host == e->host && again->port == e->port && again->path == e->path);
  }
  return 0;
}
