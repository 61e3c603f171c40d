// harness/mcp/http_endpoint: `--http URL` parsing, good and bad.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/mcp/http_endpoint.h"
#include "tests/support/catch.h"

using mcpleak::parse_http_url;

TEST_CASE("http url: host, port and path", "[mcp][http]") {
  auto e = parse_http_url("http://127.0.0.1:8931/mcp");
  REQUIRE(e);
  CHECK(e->host == "127.0.0.1");
  CHECK(e->port == 8931);
  CHECK(e->path == "/mcp");
  CHECK(e->origin() == "http://127.0.0.1:8931");
  CHECK(e->url() == "http://127.0.0.1:8931/mcp");
}

TEST_CASE("http url: defaults and IPv6", "[mcp][http]") {
  auto bare = parse_http_url("http://localhost");
  REQUIRE(bare);
  CHECK(bare->port == 80);
  CHECK(bare->path == "/");
  auto query = parse_http_url("http://localhost:3001?x=1");
  REQUIRE(query);
  CHECK(query->path == "/?x=1");
  auto v6 = parse_http_url("http://[::1]:3001/mcp");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 3001);
  CHECK(v6->origin() == "http://[::1]:3001");
}

TEST_CASE("http url: what is wrong is said, as a usage error", "[mcp][http]") {
  for (const char* bad : {"127.0.0.1:8931/mcp", "https://127.0.0.1:8931/mcp", "http://:8931/mcp",
                          "http://host:0/", "http://host:65536/", "http://host:80x/", "http://host:/",
                          "http://user@host:1/", "http://[::1/mcp", "ftp://host/", "http://::1:80/", "http://a b:1/",
                          "http://[not-v6]:1/", "http://ho[st:1/"}) {
    INFO(bad);
    auto e = parse_http_url(bad);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == mcpleak::Errc::usage);
    CHECK(e.error().describe().find("http://HOST:PORT/PATH") != std::string::npos);
  }
}

TEST_CASE("http url: the saved fuzz_http_parsers crash inputs are rejected or round-trip", "[mcp][http][fuzz]") {
  // Found by fuzz_http_parsers: "http://=[::2]\xff...:3001/mcp" was accepted with the host
  // "=[::2]\xff...", which url() bracketed into a different endpoint.
  const auto dir = std::filesystem::path(MCPLEAK_SOURCE_DIR) / "tests/fuzz/regressions/fuzz_http_parsers";
  int seen = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string url = bytes.str().substr(2);  // the target's first two bytes are settings
    INFO(f.path().string());
    ++seen;
    if (auto e = parse_http_url(url)) {
      auto again = parse_http_url(e->url());
      REQUIRE(again);
      CHECK(again->host == e->host);
      CHECK(again->port == e->port);
      CHECK(again->path == e->path);
    }
  }
  CHECK(seen >= 1);
}
