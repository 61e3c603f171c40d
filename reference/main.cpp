// axref: the reference accessibility MCP server (stdio or Streamable HTTP). Parses
// arguments and dispatches; everything else lives in axref_core.
#include <iostream>
#include <string>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "reference/backend.h"
#include "reference/http_server.h"
#include "reference/injection.h"
#include "reference/protocol_era.h"
#include "reference/stdio_server.h"

int main(int argc, char** argv) {
  using namespace mcpleak::axref;
  CLI::App cli{"axref: reference accessibility MCP server (stdio or Streamable HTTP)"};
  cli.set_version_flag("--version", std::string("axref ") + kAxrefVersion);
  BackendOptions options;
  std::string inject;
  double inject_scale = 1.0;
  std::string transport = "stdio";
  std::string http_response = "json";
  HttpOptions http;
  cli.add_option("--transport", transport,
                 "stdio (default: JSON-RPC lines on stdin/stdout) | streamable-http "
                 "(http://127.0.0.1:PORT/mcp)")
      ->check(CLI::IsMember({"stdio", "streamable-http"}));
  auto* port_option = cli.add_option("--port", http.port,
                                     "streamable-http: loopback port to listen on (required)")
                          ->check(CLI::Range(1, 65535));
  auto* response_option =
      cli.add_option("--http-response", http_response,
                     "streamable-http: answer each request as json (default) or as one "
                     "sse event")
          ->check(CLI::IsMember({"json", "sse"}));
  std::string idle_timeout = "30s";
  auto* idle_option =
      cli.add_option("--session-idle-timeout", idle_timeout,
                     "streamable-http: expire a session with no request for this long "
                     "(500ms, 30s, 2m; default 30s); DELETE frees at once");
  cli.add_option("--backend", options.kind, "synthetic | atspi | macos")
      ->check(CLI::IsMember({"synthetic", "atspi", "macos"}));
  cli.add_option("--tree-nodes", options.tree_nodes, "synthetic: nodes per app tree")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--seed", options.seed, "synthetic: generator seed");
  cli.add_option("--max-nodes", options.max_nodes, "atspi/macos: walk cap")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--observer-cache", options.observer_cache_capacity, "observer cache capacity")
      ->check(CLI::Range(1, 4096));
  cli.add_option("--inject", inject,
                 "leak classes to inject: observer-per-snapshot, observer-retry, "
                 "element-retain, undrained-pool, session-retain, session-abandon-retain, observer-fd "
                 "(comma-separated; session-retain keeps ended HTTP sessions, "
                 "session-abandon-retain never expires idle ones; both have no effect "
                 "with stdio; observer-fd keeps one file descriptor per Snapshot and no memory)");
  cli.add_option("--inject-scale", inject_scale, "multiplier for leaked bytes (default 1)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  const bool use_http = transport == "streamable-http";
  if (use_http && port_option->count() == 0) {
    std::cerr << "axref: --port is required with --transport streamable-http\n";
    return 2;
  }
  if (!use_http &&
      (port_option->count() > 0 || response_option->count() > 0 || idle_option->count() > 0)) {
    std::cerr << "axref: --port, --http-response and --session-idle-timeout need "
                 "--transport streamable-http\n";
    return 2;
  }
  http.response = http_response == "sse" ? HttpResponseMode::sse : HttpResponseMode::json;
  auto idle = parse_idle_timeout(idle_timeout);
  if (!idle) {
    std::cerr << "axref: " << idle.error().describe() << "\n";
    return 2;
  }
  http.session_idle_timeout = *idle;
  auto injections = parse_injections(inject, inject_scale);
  if (!injections) {
    std::cerr << "axref: " << injections.error().describe() << "\n";
    return 2;
  }
  install_stop_signals();
  Counters counters;
  int rc = 0;
  {
    Injector injector(*injections, counters);
    auto backend = make_backend(options, counters, injector);
    if (!backend) {
      std::cerr << "axref: " << backend.error().describe() << "\n";
      return backend.error().code == mcpleak::Errc::usage ? 2 : 3;
    }
    ToolBox tools(**backend, injector, counters);
    Protocol protocol(tools);
    if (use_http) {
      rc = serve_http(protocol, tools, counters, *injections, http, (*backend)->name());
    } else {
      std::cerr << "axref: serving on stdio, backend " << (*backend)->name() << "\n";
      rc = serve_stdio(protocol, tools, STDIN_FILENO, STDOUT_FILENO);
    }
    backend->reset();
  }
  if (!counters.all_released()) {
    std::cerr << "axref: resources still held at exit: "
              << diagnostics_json(counters, 0).dump() << "\n";
  }
  return rc;
}
