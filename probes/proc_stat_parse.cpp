#include "probes/proc_stat_parse.h"

#include <limits>

#include "probes/proc_line_parse.h"

namespace mcpleak {
namespace {

Error bad(std::string_view what, std::string_view token) {
  constexpr std::size_t max_shown = 40;
  return Error(Errc::parse,
               "bad " + std::string(what) + ": '" + std::string(token.substr(0, max_shown)) + "'");
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Result<ProcStat> parse_proc_stat(std::string_view text) {
  while (!text.empty() && text.front() == '#') {
    const auto eol = text.find('\n');
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
  }
  const auto open = text.find('(');
  const auto close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return Error(Errc::parse, "no (comm) in stat line");

  ProcStat out;
  std::string_view pid_text = text.substr(0, open);
  while (!pid_text.empty() && is_blank(pid_text.back())) pid_text.remove_suffix(1);
  const auto pid = detail::parse_pid(pid_text);
  if (!pid) return bad("pid", pid_text);
  out.pid = *pid;
  out.comm.assign(text.substr(open + 1, close - open - 1));

  // After ") ": state, then ppid (0 for init and kthreadd, so 0 is allowed here).
  std::string_view rest = text.substr(close + 1);
  auto next_token = [&rest]() {
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < rest.size() && !is_blank(rest[n])) ++n;
    std::string_view token = rest.substr(0, n);
    rest.remove_prefix(n);
    return token;
  };
  const std::string_view state = next_token();
  if (state.size() != 1) return bad("state", state);
  out.state = state.front();
  const std::string_view ppid_text = next_token();
  const auto ppid = detail::parse_decimal(ppid_text);
  if (!ppid || *ppid > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max()))
    return bad("ppid", ppid_text);
  out.ppid = static_cast<pid_t>(*ppid);
  // Then pgrp (field 5), when the line goes on: older callers feed "pid (comm) S ppid".
  if (const std::string_view pgrp_text = next_token(); !pgrp_text.empty()) {
    const auto pgrp = detail::parse_decimal(pgrp_text);
    if (!pgrp || *pgrp > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max()))
      return bad("pgrp", pgrp_text);
    out.pgrp = static_cast<pid_t>(*pgrp);
  }
  return out;
}

Result<void> parse_children_list(std::string_view text, std::vector<pid_t>& out) {
  const std::size_t old_size = out.size();
  while (!text.empty()) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    std::size_t n = 0;
    while (n < text.size() && !is_blank(text[n])) ++n;
    if (n == 0) break;
    const std::string_view token = text.substr(0, n);
    text.remove_prefix(n);
    const auto pid = detail::parse_pid(token);
    if (!pid) {
      out.resize(old_size);
      return bad("child pid", token);
    }
    out.push_back(*pid);
  }
  return {};
}

}  // namespace mcpleak
