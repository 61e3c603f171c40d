// libFuzzer target: the parsers of macOS tool output (footprint, vmmap -summary, sample)
// on arbitrary text. They run on Linux too: they are pure.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/footprint_parse.h"
#include "probes/sample_parse.h"
#include "probes/vmmap_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mcpleak::parse_footprint(text);
  (void)mcpleak::parse_vmmap_summary(text);
  (void)mcpleak::parse_sample_top_frames(text, 10);
  (void)mcpleak::parse_sample_top_frames(text, 0);
  return 0;
}
