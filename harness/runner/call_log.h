// calls.jsonl: one CallRecord per line, appended and flushed as each call ends, so a
// killed run keeps every call it made.
#pragma once

#include <cstdio>
#include <string>

#include "harness/model/sample.h"

namespace mcpleak {

class CallLog {
 public:
  explicit CallLog(const std::string& path);
  ~CallLog();
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;
  // False when the file could not be opened (errno says why).
  bool ok() const { return out_ != nullptr; }
  void append(const CallRecord& c);

 private:
  std::FILE* out_;
};

}  // namespace mcpleak
