// Reads what a runtime hook (probes/hooks/) answered at a checkpoint, as stored one per
// line in attribution/checkpoints.jsonl: the hook's answer plus pid, runtime, index, t_s
// and calls added by mcpleak. Pure; the text comes from inside the server's process, so
// members of the wrong type read as absent and entries without a key are skipped.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/model/where_it_grows.h"
#include "harness/result.h"

namespace mcpleak {

// Errc::parse when the text is not a JSON object, or the answer says it failed
// ("ok": false; its "error" is the message).
Result<HeapCheckpoint> parse_heap_checkpoint(std::string_view json_text);
Result<HeapCheckpoint> heap_checkpoint_from_json(const nlohmann::json& answer);
// The line mcpleak writes for a checkpoint it took itself (heaptrack, heap(1)): what
// heap_checkpoint_from_json reads back, with "ok": true.
nlohmann::json heap_checkpoint_to_json(const HeapCheckpoint& checkpoint);

}  // namespace mcpleak
