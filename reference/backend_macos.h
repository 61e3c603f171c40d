// The macOS backend: AXUIElement walk of the frontmost app through ApplicationServices.
// Type-checked against a macOS SDK subset from Linux (macos-syntax-check); not run here.
#pragma once

#include <memory>

#include "reference/backend.h"

namespace mcpleak::axref {

// Errc::io when the process is not trusted for accessibility (AXIsProcessTrusted).
Result<std::unique_ptr<Backend>> make_macos_backend(const BackendOptions& options,
                                                    Counters& counters, Injector& injector);

}  // namespace mcpleak::axref
