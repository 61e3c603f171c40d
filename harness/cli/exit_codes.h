// mcpleak's exit codes (DESIGN.md "CLI contract"); only harness/cli maps errors to them.
#pragma once

#include "harness/result.h"

namespace mcpleak::cli {

inline constexpr int kExitBounded = 0;
inline constexpr int kExitLeaking = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitServerFailed = 3;
inline constexpr int kExitInconclusive = 4;

// Prints "mcpleak: error: <describe>" to stderr and returns the exit code for it.
int report_error(const Error& error);

}  // namespace mcpleak::cli
