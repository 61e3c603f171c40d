#include "harness/model/report.h"

namespace mcpleak {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::bounded: return "bounded";
    case Verdict::leaking: return "leaking";
    case Verdict::inconclusive: return "inconclusive";
    case Verdict::server_failed: return "server-failed";
  }
  return "inconclusive";
}

int verdict_exit_code(Verdict v) {
  switch (v) {
    case Verdict::bounded: return 0;
    case Verdict::leaking: return 1;
    case Verdict::server_failed: return 3;
    case Verdict::inconclusive: return 4;
  }
  return 4;
}

}  // namespace mcpleak
