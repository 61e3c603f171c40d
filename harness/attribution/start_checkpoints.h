// The checkpoint taker an attribution run's mode asks for: the runtime hooks' Checkpointer
// (auto, python, node) or heaptrack's NativeCheckpointer (native, Linux only).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "harness/attribution/attribute_mode.h"
#include "harness/attribution/checkpoint_taker.h"
#include "harness/attribution/hook_folder.h"
#include "harness/result.h"

namespace mcpleak {

// `run_dir` is the attribution run's folder (checkpoints.jsonl and heaptrack's file go
// there). Errc::usage when the mode's tool is missing or does not run on this platform.
Result<std::unique_ptr<CheckpointTaker>> start_checkpoint_taker(const HookFolder& folder,
                                                                const AttributionOptions& options,
                                                                const std::string& run_dir,
                                                                std::function<bool()> should_stop);

}  // namespace mcpleak
