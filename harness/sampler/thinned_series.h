// ThinnedSeries: at most `cap` samples of a series that grows for as long as the run
// lasts. When full it drops every other sample kept and keeps only every 2nd (4th, ...)
// sample from then on, so what it holds is always the series as if sampled at a
// coarser, uniform rate from the start. The interim looks need no more than that (their
// blocks are several seconds long), samples.jsonl keeps every sample for the final
// analysis, and mcpleak's own footprint stays flat however long the run. Pure.
#pragma once

#include <cstddef>
#include <vector>

#include "harness/model/sample.h"

namespace mcpleak {

class ThinnedSeries {
 public:
  explicit ThinnedSeries(std::size_t cap);  // cap >= 2; the storage is reserved at once

  void push(Sample s);
  const std::vector<Sample>& kept() const { return kept_; }
  std::size_t seen() const { return seen_; }      // every sample pushed
  std::size_t stride() const { return stride_; }  // 1 in `stride` samples is kept

 private:
  std::size_t cap_;
  std::size_t stride_ = 1;
  std::size_t seen_ = 0;
  std::vector<Sample> kept_;
};

}  // namespace mcpleak
