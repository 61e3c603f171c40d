#include "harness/mcp/http_endpoint.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mcpleak {
namespace {

// A host name or IPv4 address: letters, digits, '-', '.', '_' (what getaddrinfo takes).
bool plain_host(std::string_view h) {
  return std::all_of(h.begin(), h.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

// The inside of [...]: hex digits, ':' and '.' (an embedded IPv4), '%' and a zone name.
bool ipv6_literal(std::string_view h) {
  const auto zone = h.find('%');
  const std::string_view addr = h.substr(0, zone);
  return addr.find(':') != std::string_view::npos &&
         std::all_of(addr.begin(), addr.end(),
                     [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; }) &&
         (zone == std::string_view::npos || plain_host(h.substr(zone + 1)));
}

}  // namespace

std::string HttpEndpoint::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HttpEndpoint> parse_http_url(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return Error(Errc::usage, why + " (expected http://HOST:PORT/PATH, e.g. http://127.0.0.1:8931/mcp)")
        .with("--http " + std::string(url));
  };
  constexpr std::string_view kScheme = "http://";
  if (url.starts_with("https://")) {
    return bad("https is not supported: mcpleak starts the server on this machine and talks plain HTTP to it");
  }
  if (!url.starts_with(kScheme)) return bad("not an http:// URL");
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  HttpEndpoint e;
  e.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (e.path.front() == '?') e.path.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return bad("user info in the URL is not supported");
  std::string_view port_text;
  if (authority.starts_with("[")) {  // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated [IPv6] host");
    e.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after ]");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    e.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (e.host.empty()) return bad("no host");
  // Checked so that url() gives back the same endpoint (found by fuzz_http_parsers: a
  // host with a ':' outside brackets came back bracketed as another host).
  const bool bracketed = authority.starts_with("[");
  if (bracketed ? !ipv6_literal(e.host) : !plain_host(e.host)) {
    return bad(bracketed ? "not an IPv6 address inside [...]" : "invalid host name (IPv6 addresses go in [...])");
  }
  if (!port_text.empty() || authority.ends_with(":")) {
    int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return bad("port must be a number in 1..65535");
    }
    e.port = port;
  }
  return e;
}

}  // namespace mcpleak
