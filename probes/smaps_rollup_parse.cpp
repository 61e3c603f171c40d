#include "probes/smaps_rollup_parse.h"

#include <string>

#include "probes/proc_line_parse.h"

namespace mcpleak {
namespace {

struct Required {
  std::string_view key;
  std::uint64_t SmapsRollup::*member;
};
constexpr Required kRequired[] = {
    {"Rss", &SmapsRollup::rss_bytes},
    {"Pss", &SmapsRollup::pss_bytes},
    {"Shared_Clean", &SmapsRollup::shared_clean_bytes},
    {"Shared_Dirty", &SmapsRollup::shared_dirty_bytes},
    {"Private_Clean", &SmapsRollup::private_clean_bytes},
    {"Private_Dirty", &SmapsRollup::private_dirty_bytes},
    {"Anonymous", &SmapsRollup::anonymous_bytes},
    {"Swap", &SmapsRollup::swap_bytes},
    {"SwapPss", &SmapsRollup::swap_pss_bytes},
};
constexpr std::size_t kRequiredCount = sizeof(kRequired) / sizeof(kRequired[0]);

struct Optional {
  std::string_view key;
  std::optional<std::uint64_t> SmapsRollup::*member;
};
constexpr Optional kOptional[] = {
    {"Pss_Anon", &SmapsRollup::pss_anon_bytes},
    {"Pss_File", &SmapsRollup::pss_file_bytes},
    {"Pss_Shmem", &SmapsRollup::pss_shmem_bytes},
    {"Pss_Dirty", &SmapsRollup::pss_dirty_bytes},
};

}  // namespace

Result<SmapsRollup> parse_smaps_rollup(std::string_view text) {
  SmapsRollup out;
  bool seen[kRequiredCount] = {};
  std::optional<Error> error;

  detail::for_each_proc_line(text, [&](const detail::ProcLine& line) {
    if (error) return;
    auto kb = [&]() -> std::optional<std::uint64_t> {
      auto bytes = detail::parse_kb_as_bytes(line.value);
      if (!bytes) {
        constexpr std::size_t max_shown = 40;
        error.emplace(Errc::parse, "bad " + std::string(line.key) + " value: '" +
                                       std::string(line.value.substr(0, max_shown)) + "'");
      }
      return bytes;
    };
    for (std::size_t i = 0; i < kRequiredCount; ++i) {
      if (line.key != kRequired[i].key) continue;
      if (const auto bytes = kb()) {
        out.*kRequired[i].member = *bytes;
        seen[i] = true;
      }
      return;
    }
    for (const auto& opt : kOptional) {
      if (line.key != opt.key) continue;
      if (const auto bytes = kb()) out.*opt.member = *bytes;
      return;
    }
  });
  if (error) return std::move(*error);

  for (std::size_t i = 0; i < kRequiredCount; ++i)
    if (!seen[i]) return Error(Errc::parse, "no " + std::string(kRequired[i].key) + " line");
  return out;
}

}  // namespace mcpleak
