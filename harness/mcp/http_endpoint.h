// Where a Streamable HTTP server listens, parsed from `--http URL`. Pure.
#pragma once

#include <string>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

struct HttpEndpoint {
  std::string host;      // "127.0.0.1", "localhost", "::1" (no brackets)
  int port = 80;
  std::string path;      // "/mcp", with any query; "/" when the URL has none
  // "http://127.0.0.1:8931", "http://[::1]:8931": what an HTTP client connects to.
  std::string origin() const;
  std::string url() const { return origin() + path; }
  // For messages: the URL without its query, which may hold a key ("?api_key=...").
  std::string display_url() const { return origin() + path.substr(0, path.find('?')); }
};

// "http://HOST[:PORT][/PATH]". Errc::usage, saying what is wrong, for anything else:
// https (mcpleak drives a server it started itself, on this machine), a missing host,
// a port outside 1..65535, user info.
Result<HttpEndpoint> parse_http_url(std::string_view url);

}  // namespace mcpleak
