#include "reference/backend.h"

#include <cctype>

#include "reference/backend_synthetic.h"
#if defined(AXREF_WITH_ATSPI)
#include "reference/backend_atspi.h"
#endif
#if defined(__APPLE__)
#include "reference/backend_macos.h"
#endif

namespace mcpleak::axref {

Result<std::unique_ptr<Backend>> make_backend(const BackendOptions& options, Counters& counters,
                                              Injector& injector) {
  if (options.kind == "synthetic") {
    return std::unique_ptr<Backend>(new SyntheticBackend(options, counters, injector));
  }
#if defined(AXREF_WITH_ATSPI)
  if (options.kind == "atspi") return make_atspi_backend(options, counters, injector);
#endif
#if defined(__APPLE__)
  if (options.kind == "macos") return make_macos_backend(options, counters, injector);
#endif
  return Error(Errc::usage, "backend '" + options.kind + "' is not built into this axref");
}

bool app_name_matches(std::string_view app_name, std::string_view query) {
  if (query.empty() || query.size() > app_name.size()) return false;
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  for (std::size_t i = 0; i + query.size() <= app_name.size(); ++i) {
    std::size_t k = 0;
    while (k < query.size() && lower(app_name[i + k]) == lower(query[k])) ++k;
    if (k == query.size()) return true;
  }
  return false;
}

}  // namespace mcpleak::axref
