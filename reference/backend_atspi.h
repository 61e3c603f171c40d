// The AT-SPI backend (Linux): walks real applications on the accessibility bus with
// libatspi. Needs a session with the AT-SPI bus (ci/atspi-session provides one).
#pragma once

#include <memory>

#include "reference/backend.h"

namespace mcpleak::axref {

// Errc::io when libatspi cannot reach the accessibility bus.
Result<std::unique_ptr<Backend>> make_atspi_backend(const BackendOptions& options,
                                                    Counters& counters, Injector& injector);

}  // namespace mcpleak::axref
