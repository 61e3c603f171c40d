// A confidence interval of a rate, in the rate's unit (bytes per minute in reports).
#pragma once

namespace mcpleak {

struct Interval {
  double lo = 0;
  double hi = 0;
};

}  // namespace mcpleak
