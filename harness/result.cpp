#include "harness/result.h"

namespace mcpleak {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::io: return "io";
    case Errc::parse: return "parse";
    case Errc::protocol: return "protocol";
    case Errc::timeout: return "timeout";
    case Errc::server_exited: return "server exited";
    case Errc::usage: return "usage";
  }
  return "error";
}

std::string Error::describe() const {
  std::string out;
  for (auto it = context.rbegin(); it != context.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += errc_name(code);
  out += ": ";
  out += message;
  return out;
}

}  // namespace mcpleak
