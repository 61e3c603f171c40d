#include "harness/runner/redact.h"

#include <algorithm>
#include <cctype>

namespace mcpleak {
namespace {

constexpr const char* kMask = "***";

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  return s;
}

bool secret_name(const std::string& name) {
  std::string n = upper(name);
  while (!n.empty() && n.front() == '_') n.erase(n.begin());
  for (const char* suffix : {"TOKEN", "KEY", "SECRET", "PASSWORD", "PASSWD"}) {
    if (n.ends_with(suffix)) return true;
  }
  return n == "AUTHORIZATION" || n == "AUTH";
}

// "https://user:pw@host/x" -> "https://***@host/x".
std::string redact_url_credentials(const std::string& arg) {
  const auto scheme = arg.find("://");
  if (scheme == std::string::npos) return arg;
  const auto at = arg.find('@', scheme + 3);
  const auto slash = arg.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return arg;
  if (arg.find(':', scheme + 3) > at) return arg;  // user only, no password
  return arg.substr(0, scheme + 3) + kMask + arg.substr(at);
}

// "http://h/mcp?api_key=X&x=1" -> "http://h/mcp?api_key=***&x=1".
std::string redact_url_query(const std::string& arg) {
  const auto q = arg.find('?');
  if (arg.find("://") == std::string::npos || q == std::string::npos) return arg;
  std::string out = arg.substr(0, q + 1);
  std::size_t at = q + 1;
  while (at <= arg.size()) {
    const auto amp = std::min(arg.find('&', at), arg.size());
    const std::string pair = arg.substr(at, amp - at);
    const auto eq = pair.find('=');
    out += eq != std::string::npos && secret_name(pair.substr(0, eq)) ? pair.substr(0, eq + 1) + kMask : pair;
    if (amp < arg.size()) out += '&';
    at = amp + 1;
  }
  return out;
}

// "X-Api-Key: abc" -> "X-Api-Key: ***".
std::string mask_header_value(const std::string& header) {
  const auto colon = header.find(':');
  return colon == std::string::npos ? kMask : header.substr(0, colon + 1) + " " + kMask;
}

// `secrets` longest first: a secret that is part of another must not leave the rest showing.
std::string mask_secrets(std::string arg, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.size() < 3) continue;  // "1" or "" would mask unrelated text; such values are not secrets
    for (auto at = arg.find(secret); at != std::string::npos; at = arg.find(secret, at + 3)) {
      arg.replace(at, secret.size(), kMask);
    }
  }
  return arg;
}

}  // namespace

std::vector<std::string> redact_command(const std::vector<std::string>& argv, const std::vector<std::string>& secrets) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  bool mask_next = false;
  bool header_next = false;
  std::vector<std::string> longest_first = secrets;
  std::sort(longest_first.begin(), longest_first.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const std::string& given : argv) {
    const std::string arg = mask_secrets(given, longest_first);
    if (mask_next) {
      out.emplace_back(kMask);
      mask_next = false;
      continue;
    }
    if (header_next || arg.starts_with("--header=")) {
      out.push_back(header_next ? mask_header_value(arg) : "--header=" + mask_header_value(arg.substr(9)));
      header_next = false;
      continue;
    }
    if (arg == "--header") {
      out.push_back(arg);
      header_next = true;
      continue;
    }
    const std::string upper_arg = upper(arg);
    if (upper_arg.starts_with("AUTHORIZATION:")) {
      out.push_back(arg.substr(0, arg.find(':') + 1) + " " + kMask);
      continue;
    }
    const auto eq = arg.find('=');
    const bool is_url = arg.find("://") < eq;  // "http://h/x?api_key=..": the query rule below
    if (eq != std::string::npos && eq > 0 && !is_url) {
      if (secret_name(arg.substr(0, eq))) {
        out.push_back(arg.substr(0, eq + 1) + kMask);
        continue;
      }
    } else if (eq == std::string::npos && arg.starts_with("-") && secret_name(arg)) {
      out.push_back(arg);
      mask_next = true;
      continue;
    }
    out.push_back(redact_url_query(redact_url_credentials(arg)));
  }
  return out;
}

}  // namespace mcpleak
