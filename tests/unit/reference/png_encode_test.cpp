// The tiny PNG writer and base64: published check values, and a decode of our own
// stored-deflate stream back to the pixels.
#include "reference/png_encode.h"

#include <string>

#include "tests/support/catch.h"

using namespace mcpleak::axref;

namespace {
std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::uint32_t be32(const std::vector<std::uint8_t>& v, std::size_t at) {
  return std::uint32_t{v[at]} << 24 | std::uint32_t{v[at + 1]} << 16 | std::uint32_t{v[at + 2]} << 8 | v[at + 3];
}
}  // namespace

TEST_CASE("crc32 and adler32 match their published check values", "[reference]") {
  CHECK(crc32(bytes_of("123456789")) == 0xCBF43926u);  // CRC catalogue, CRC-32/ISO-HDLC
  CHECK(adler32(bytes_of("Wikipedia")) == 0x11E60398u);  // RFC 1950 worked example
}

TEST_CASE("base64 matches RFC 4648 test vectors", "[reference]") {
  CHECK(base64_encode(bytes_of("")) == "");
  CHECK(base64_encode(bytes_of("f")) == "Zg==");
  CHECK(base64_encode(bytes_of("fo")) == "Zm8=");
  CHECK(base64_encode(bytes_of("foo")) == "Zm9v");
  CHECK(base64_encode(bytes_of("foobar")) == "Zm9vYmFy");
}

TEST_CASE("png holds the pixels in stored deflate blocks", "[reference]") {
  // 300x100 RGB: 90,100 bytes of scanlines, so the stream needs two stored blocks.
  const std::uint32_t w = 300, h = 100;
  std::vector<std::uint8_t> rgb(std::size_t{w} * h * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>(i * 7);
  const auto png = encode_png_rgb(w, h, rgb);
  REQUIRE(png.size() > 33);
  CHECK(png[0] == 0x89);
  CHECK(std::string(png.begin() + 12, png.begin() + 16) == "IHDR");
  CHECK(be32(png, 16) == w);
  CHECK(be32(png, 20) == h);
  // walk the chunks, checking each CRC, collecting IDAT
  std::vector<std::uint8_t> z;
  std::size_t at = 8;
  std::string last;
  while (at + 12 <= png.size()) {
    const std::uint32_t len = be32(png, at);
    last = std::string(png.begin() + static_cast<long>(at) + 4, png.begin() + static_cast<long>(at) + 8);
    CHECK(crc32(std::span(png).subspan(at + 4, len + 4)) == be32(png, at + 8 + len));
    if (last == "IDAT") z.insert(z.end(), png.begin() + static_cast<long>(at) + 8, png.begin() + static_cast<long>(at + 8 + len));
    at += 12 + len;
  }
  CHECK(last == "IEND");
  CHECK(at == png.size());
  // inflate the stored blocks by hand
  REQUIRE(z.size() > 6);
  CHECK(((z[0] << 8) | z[1]) % 31 == 0);  // zlib header check bits
  std::vector<std::uint8_t> raw;
  std::size_t p = 2;
  bool final = false;
  while (!final) {
    final = (z[p] & 1) != 0;
    CHECK((z[p] & 6) == 0);  // BTYPE 00: stored
    const std::size_t len = z[p + 1] | z[p + 2] << 8;
    CHECK(static_cast<std::size_t>((z[p + 3] | z[p + 4] << 8) ^ 0xFFFF) == len);
    raw.insert(raw.end(), z.begin() + static_cast<long>(p) + 5, z.begin() + static_cast<long>(p + 5 + len));
    p += 5 + len;
  }
  CHECK(be32(z, p) == adler32(raw));
  REQUIRE(raw.size() == (std::size_t{w} * 3 + 1) * h);
  for (std::uint32_t y = 0; y < h; ++y) {
    const std::size_t row = y * (std::size_t{w} * 3 + 1);
    CHECK(raw[row] == 0);
    CHECK(std::equal(raw.begin() + static_cast<long>(row) + 1, raw.begin() + static_cast<long>(row + 1 + w * 3),
                     rgb.begin() + static_cast<long>(std::size_t{y} * w * 3)));
  }
}

TEST_CASE("png refuses mismatched sizes", "[reference]") {
  std::vector<std::uint8_t> rgb(10);
  CHECK(encode_png_rgb(2, 2, rgb).empty());
  CHECK(encode_png_rgb(0, 0, {}).empty());
}
