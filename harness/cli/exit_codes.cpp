#include "harness/cli/exit_codes.h"

#include <cstdio>

namespace mcpleak::cli {

int report_error(const Error& error) {
  std::fprintf(stderr, "mcpleak: error: %s\n", error.describe().c_str());
  switch (error.code) {
    case Errc::server_exited:
    case Errc::protocol:
    case Errc::timeout: return kExitServerFailed;
    default: return kExitUsage;
  }
}

}  // namespace mcpleak::cli
