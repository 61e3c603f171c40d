// Alpha spending for the interim looks: look k may be wrong with probability at most
// alpha * 6 / (pi^2 k^2) per side, so over any number of looks the total stays <= alpha.
#pragma once

namespace mcpleak::analysis {

// Per-side error budget of all interim looks together. The final analysis spends
// another kFinalAlphaPerSide (the two-sided 95% interval), so a run that looks and then
// reports stays within 0.05 per side overall.
inline constexpr double kSequentialAlphaPerSide = 0.025;
inline constexpr double kFinalAlphaPerSide = 0.025;

// alpha_k for look k >= 1 (k < 1 is treated as 1).
double look_alpha(int look_index);

}  // namespace mcpleak::analysis
