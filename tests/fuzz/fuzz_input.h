// What the chunking fuzz targets share: byte 0 picks a small size cap (so the oversized
// paths are reached), byte 1 seeds how the rest is cut into chunks of 1 to 17 bytes, and
// a broken property aborts (libFuzzer saves the input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

namespace fuzz {

inline void require(bool ok) {
  if (!ok) std::abort();
}

struct ChunkedInput {
  std::size_t cap = 1;                    // 1..64
  std::string_view bytes;                 // the input after the two setting bytes
  std::vector<std::string_view> chunks;   // `bytes`, cut at seeded places
};

inline std::optional<ChunkedInput> chunked_input(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return std::nullopt;
  ChunkedInput in;
  in.cap = 1 + data[0] % 64;
  std::uint32_t seed = data[1];
  in.bytes = std::string_view(reinterpret_cast<const char*>(data + 2), size - 2);
  for (std::size_t at = 0; at < in.bytes.size();) {
    seed = seed * 1103515245u + 12345u;
    const std::size_t n = 1 + (seed >> 16) % 17;
    in.chunks.push_back(in.bytes.substr(at, n));
    at += n;
  }
  return in;
}

}  // namespace fuzz
