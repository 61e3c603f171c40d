#include "reference/retry_backoff.h"

#include <algorithm>

namespace mcpleak::axref {

std::chrono::milliseconds RetryBackoff::current_delay() const {
  if (failures_ == 0) return std::chrono::milliseconds(0);
  auto delay = initial_;
  for (int i = 1; i < failures_ && delay < max_; ++i) delay *= 2;
  return std::min(delay, max_);
}

void RetryBackoff::failed(Clock::time_point now) {
  ++failures_;
  next_ = now + current_delay();
}

}  // namespace mcpleak::axref
