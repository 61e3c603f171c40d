// Turns a run (Report + samples + calls) into the Chart that report.html draws. Picks
// and bins what is already measured; computes no statistics (the slope comes from Report).
#pragma once

#include <span>
#include <string>

#include "harness/model/report.h"
#include "harness/model/sample.h"
#include "reports/svg_chart.h"

namespace mcpleak::reports {

// At most this many per-process lines, the largest by peak footprint first.
inline constexpr std::size_t kMaxProcessLines = 8;
// The call-rate strip has at most this many bars.
inline constexpr std::size_t kMaxCallBars = 120;

// Footprint and RSS of the tree; one footprint line per pid when the tree has more than
// one process; the fitted slope anchored at the first sample at or after run.warmup_s,
// with its 95% band; one marker per phase start; calls/s bars from `calls`.
Chart run_chart(const Report& report, std::span<const Sample> samples,
                std::span<const CallRecord> calls);

// Footprint, RSS and fitted slope of two runs on one time axis, labelled with the
// given labels; phase markers come from the base run.
// The live bytes of the top growing sites (at most five) at each checkpoint of the
// attribution run, over its time; empty lines when there is no site.
Chart sites_chart(const WhereItGrows& where);

Chart compare_chart(const Report& base, std::span<const Sample> base_samples,
                    const std::string& base_label, const Report& candidate,
                    std::span<const Sample> candidate_samples, const std::string& candidate_label);

}  // namespace mcpleak::reports
