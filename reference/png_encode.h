// A minimal PNG writer (8-bit RGB, zlib "stored" blocks, no compression) and base64, for
// the image content of Snapshot {use_vision:true}. Small images only: fine for a
// synthetic screenshot, wasteful for a real one.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcpleak::axref {

std::uint32_t crc32(std::span<const std::uint8_t> bytes);    // ISO-HDLC, as PNG uses
std::uint32_t adler32(std::span<const std::uint8_t> bytes);  // RFC 1950

// `rgb` holds width*height*3 bytes, rows top to bottom. Returns the PNG file bytes;
// empty when the sizes disagree or width/height is 0.
std::vector<std::uint8_t> encode_png_rgb(std::uint32_t width, std::uint32_t height,
                                         std::span<const std::uint8_t> rgb);

std::string base64_encode(std::span<const std::uint8_t> bytes);

}  // namespace mcpleak::axref
