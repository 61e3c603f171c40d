#include "harness/attribution/start_checkpoints.h"

#include "harness/attribution/checkpointer.h"
#include "harness/attribution/heaptrack_install.h"
#include "harness/attribution/macos_checkpointer.h"
#include "harness/attribution/native_checkpointer.h"

namespace mcpleak {

Result<std::unique_ptr<CheckpointTaker>> start_checkpoint_taker(const HookFolder& folder,
                                                                const AttributionOptions& options,
                                                                const std::string& run_dir,
                                                                std::function<bool()> should_stop) {
  const std::string jsonl = run_dir + "/checkpoints.jsonl";
  if (options.mode == AttributeMode::macos) {
#ifdef __APPLE__
    return std::unique_ptr<CheckpointTaker>(std::make_unique<MacosCheckpointer>(options, run_dir, std::move(should_stop)));
#else
    return Error(Errc::usage, "--attribute macos uses heap(1), malloc_history(1) and leaks(1), which run on macOS only");
#endif
  }
  if (options.mode != AttributeMode::native) {
    return std::unique_ptr<CheckpointTaker>(std::make_unique<Checkpointer>(folder, options, jsonl, std::move(should_stop)));
  }
#ifdef __APPLE__
  return Error(Errc::usage, "--attribute native uses heaptrack, which runs on Linux only");
#else
  auto heaptrack = find_heaptrack();
  if (!heaptrack) return heaptrack.error();
  auto native = NativeCheckpointer::start(folder, *heaptrack, options, jsonl, run_dir + "/heaptrack.interpreted",
                                            std::move(should_stop));
  if (!native) return native.error();
  return std::unique_ptr<CheckpointTaker>(std::move(*native));
#endif
}

}  // namespace mcpleak
