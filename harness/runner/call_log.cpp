#include "harness/runner/call_log.h"

#include "harness/model/serialize.h"

namespace mcpleak {

CallLog::CallLog(const std::string& path) : out_(std::fopen(path.c_str(), "a")) {}

CallLog::~CallLog() {
  if (out_) std::fclose(out_);
}

void CallLog::append(const CallRecord& c) {
  if (!out_) return;
  // A server's error text may hold invalid UTF-8; it is replaced, not a reason to lose the line.
  const std::string line =
      to_json_value(c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

}  // namespace mcpleak
