#include "harness/mcp/http_endpoint.h"

#include <charconv>

namespace mcpleak {

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
