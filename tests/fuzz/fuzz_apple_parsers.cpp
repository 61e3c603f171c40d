// libFuzzer target: the parsers of macOS tool output (footprint, vmmap, sample, heap,
// leaks, malloc_history) and heaptrack's interpreted stream, on arbitrary text. They run
// on Linux too: they are pure.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probes/footprint_parse.h"
#include "probes/heap_parse.h"
#include "probes/heaptrack_parse.h"
#include "probes/leaks_parse.h"
#include "probes/malloc_history_parse.h"
#include "probes/sample_parse.h"
#include "probes/vmmap_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mcpleak::parse_footprint(text);
  (void)mcpleak::parse_footprint_all(text);
  (void)mcpleak::parse_footprint_summary(text);
  (void)mcpleak::parse_vmmap_summary(text);
  (void)mcpleak::parse_sample_top_frames(text, 10);
  (void)mcpleak::parse_sample_top_frames(text, 0);
  (void)mcpleak::parse_heap(text);
  (void)mcpleak::parse_leaks(text);
  (void)mcpleak::parse_malloc_history_call_tree(text, 5);
  (void)mcpleak::parse_malloc_history_call_tree(text, 0);
  // heaptrack's stream arrives in pieces: fed whole and in two halves.
  mcpleak::HeaptrackReader whole, halves;
  whole.feed(text);
  halves.feed(text.substr(0, size / 2));
  halves.feed(text.substr(size / 2));
  mcpleak::HeaptrackSiteRule rule;
  rule.min_bytes = 0;
  (void)whole.live_sites(rule);
  (void)halves.live_sites(rule);
  return 0;
}
