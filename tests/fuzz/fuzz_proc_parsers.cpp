// libFuzzer target: the pure /proc parsers (status, smaps_rollup, stat, children) on
// arbitrary text. Errors must be values, never exceptions or crashes.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "probes/proc_stat_parse.h"
#include "probes/proc_status_parse.h"
#include "probes/smaps_rollup_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mcpleak::parse_proc_status(text);
  (void)mcpleak::parse_smaps_rollup(text);
  (void)mcpleak::parse_proc_stat(text);
  std::vector<pid_t> children;
  (void)mcpleak::parse_children_list(text, children);
  return 0;
}
