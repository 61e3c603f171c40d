#include "harness/sampler/thinned_series.h"

#include <algorithm>

namespace mcpleak {

ThinnedSeries::ThinnedSeries(std::size_t cap) : cap_(std::max<std::size_t>(cap, 2)) { kept_.reserve(cap_); }

void ThinnedSeries::push(Sample s) {
  if (seen_++ % stride_ != 0) return;
  kept_.push_back(std::move(s));
  if (kept_.size() < cap_) return;
  // Keep indices 0, 2, 4, ...: multiples of the doubled stride in the original series.
  std::size_t out = 0;
  for (std::size_t i = 0; i < kept_.size(); i += 2) kept_[out++] = std::move(kept_[i]);
  kept_.resize(out);
  stride_ *= 2;
}

}  // namespace mcpleak
