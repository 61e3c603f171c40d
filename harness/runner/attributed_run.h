// `mcpleak run --attribute`: two runs, never mixed. The verdict comes from an
// uninstrumented run in OUT; then an instrumented run of the same scenario and server,
// with the runtime hooks, in OUT/attribution takes the checkpoints; OUT's reports are
// then rewritten with "where it grows" from it.
#pragma once

#include "harness/attribution/attribute_mode.h"
#include "harness/model/report.h"
#include "harness/result.h"
#include "harness/runner/runner.h"

namespace mcpleak {

// The verdict run's report, with where_it_grows filled in. A verdict run that was
// interrupted, or whose server failed, has no attribution run (nothing to attribute,
// or no server to attribute it in); a failing attribution run leaves the verdict as it
// was, its report saying why attribution is unavailable.
Result<Report> run_with_attribution(const RunOptions& verdict_run, const AttributionOptions& attribution);

}  // namespace mcpleak
