// MCPLEAK_CHECK(cond) << "detail": aborts with file:line when an invariant of our own
// code breaks. Stays on in release builds. Never use it on input from a file, the
// network or the server: those are Result errors.
#pragma once

#include <cstdlib>
#include <iostream>

namespace mcpleak::detail {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* func, const char* cond) {
    std::cerr << file << ":" << line << ": " << func << ": check failed: " << cond << " ";
  }
  [[noreturn]] ~CheckFailure() {
    std::cerr << std::endl;
    std::abort();
  }
  template <class T>
  CheckFailure& operator<<(const T& detail) {
    std::cerr << detail;
    return *this;
  }
};

}  // namespace mcpleak::detail

#define MCPLEAK_CHECK(cond) \
  if (cond) {               \
  } else                    \
    ::mcpleak::detail::CheckFailure(__FILE__, __LINE__, __func__, #cond)
