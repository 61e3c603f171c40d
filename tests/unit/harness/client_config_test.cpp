// harness/client_config: each client's config shape (fixtures in tests/fixtures/configs),
// each variable syntax, the errors that say which --var to pass, secrets for redaction,
// format detection and default file locations. No file is read except the fixtures, and
// no real environment variable is consulted: the environment is a map.
#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "harness/client_config/client_config.h"
#include "harness/client_config/config_locations.h"
#include "harness/client_config/config_vars.h"
#include "harness/client_config/dotenv.h"
#include "harness/client_config/jsonc.h"
#include "tests/support/catch.h"

using mcpleak::ClientConfig;
using mcpleak::ConfigFormat;
using mcpleak::default_config_paths;
using mcpleak::default_workspace_folder;
using mcpleak::detect_config_format;
using mcpleak::Errc;
using mcpleak::expand_vars;
using mcpleak::HostOs;
using mcpleak::list_servers;
using mcpleak::parse_client_config;
using mcpleak::parse_dotenv;
using mcpleak::parse_jsonc;
using mcpleak::resolve_config_path;
using mcpleak::resolve_server;
using mcpleak::Result;
using mcpleak::ServerEntry;
using mcpleak::ServerKind;
using mcpleak::VarContext;
using mcpleak::VarSyntax;
using nlohmann::json;

namespace {

const std::string kConfigDir = MCPLEAK_FIXTURES_DIR "/configs";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ClientConfig load_fixture(const std::string& file) {
  const std::string path = kConfigDir + "/" + file;
  auto config = parse_client_config(read_text(path), path);
  if (!config) FAIL(config.error().describe());
  return *config;
}

ClientConfig from_text(const std::string& text, const std::string& path = "/src/app/config.json") {
  auto config = parse_client_config(text, path);
  if (!config) FAIL(config.error().describe());
  return *config;
}

// A context whose environment is `env` and nothing else.
VarContext context(std::map<std::string, std::string> env = {}, std::map<std::string, std::string> vars = {}) {
  VarContext ctx;
  ctx.vars = std::move(vars);
  ctx.env = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  return ctx;
}

ServerEntry resolved(const ClientConfig& config, const std::string& name, const VarContext& ctx) {
  auto entry = resolve_server(config, name, ctx);
  if (!entry) FAIL(entry.error().describe());
  return *entry;
}

bool has_secret(const ServerEntry& e, const std::string& value) {
  return std::find(e.secrets.begin(), e.secrets.end(), value) != e.secrets.end();
}

// The forms named by `which`: "shell", "env", "input", "editor" (built field by field:
// clang's -Wmissing-field-initializers flags partial designated initializers).
VarSyntax syntax(const std::string& which) {
  VarSyntax s;
  s.shell = which == "shell";
  s.env = which == "env";
  s.input = which == "input";
  s.editor = which == "editor";
  return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

using Strings = std::vector<std::string>;

}  // namespace

// --- Claude Desktop -------------------------------------------------------------------

TEST_CASE("claude desktop fixture: axref as the acceptance test starts it", "[client_config]") {
  const ClientConfig config = load_fixture("claude_desktop_config.json");
  CHECK(config.format == ConfigFormat::claude_desktop);
  const ServerEntry axref = resolved(config, "axref", context());
  CHECK(axref.kind == ServerKind::stdio);
  CHECK(axref.argv == Strings{"build/reference/axref", "--backend", "synthetic"});
  CHECK(axref.env.empty());
  CHECK(axref.secrets.empty());
  CHECK(axref.format == ConfigFormat::claude_desktop);
}

TEST_CASE("claude desktop env values are secrets", "[client_config]") {
  const ServerEntry github = resolved(load_fixture("claude_desktop_config.json"), "github", context());
  CHECK(github.argv == Strings{"npx", "-y", "@modelcontextprotocol/server-github"});
  CHECK(github.env.at("GITHUB_PERSONAL_ACCESS_TOKEN") == "ghp_fixtureTokenNotReal0000");
  CHECK(github.secrets == Strings{"ghp_fixtureTokenNotReal0000"});
}

TEST_CASE("claude desktop passes variables on as written", "[client_config]") {
  // Claude Desktop documents no expansion, so ${HOME} reaches the server literally.
  const ClientConfig config = from_text(R"({"mcpServers": {"fs": {"command": "npx", "args": ["${HOME}/notes"]}}})",
                                        "/x/claude_desktop_config.json");
  CHECK(config.format == ConfigFormat::claude_desktop);
  CHECK(resolved(config, "fs", context({{"HOME", "/home/me"}})).argv == Strings{"npx", "${HOME}/notes"});
}

TEST_CASE("listing gives name, kind and command or url with variables unexpanded", "[client_config]") {
  auto servers = list_servers(load_fixture("claude_code.mcp.json"));
  REQUIRE(servers);
  REQUIRE(servers->size() == 4);
  // Sorted by name: airtable, api-server, asana, local-tools.
  CHECK((*servers)[0].name == "airtable");
  CHECK((*servers)[0].kind == ServerKind::stdio);
  CHECK((*servers)[0].argv == Strings{"npx", "-y", "airtable-mcp-server"});
  CHECK((*servers)[1].name == "api-server");
  CHECK((*servers)[1].kind == ServerKind::http);
  CHECK((*servers)[1].url == "${API_BASE_URL:-https://api.example.com}/mcp");
  CHECK((*servers)[2].kind == ServerKind::sse);
  CHECK((*servers)[3].argv[0] == "${TOOLS_HOME:-/opt/tools}/bin/mcp-tools");
  for (const auto& s : *servers) CHECK(s.problem.empty());
}

// --- Claude Code ----------------------------------------------------------------------

TEST_CASE("claude code expands ${VAR} and ${VAR:-default} in url and headers", "[client_config]") {
  const ClientConfig config = load_fixture("claude_code.mcp.json");
  CHECK(config.format == ConfigFormat::claude_code);
  const ServerEntry api = resolved(config, "api-server", context({{"API_KEY", "sk-live-123"}}));
  CHECK(api.kind == ServerKind::http);
  CHECK(api.url == "https://api.example.com/mcp");  // API_BASE_URL unset: the default
  REQUIRE(api.headers.size() == 1);
  CHECK(api.headers[0] == std::pair<std::string, std::string>{"Authorization", "Bearer sk-live-123"});
  CHECK(has_secret(api, "Bearer sk-live-123"));
  CHECK(has_secret(api, "sk-live-123"));

  const ServerEntry set = resolved(config, "api-server",
                                   context({{"API_KEY", "k"}, {"API_BASE_URL", "http://127.0.0.1:9000"}}));
  CHECK(set.url == "http://127.0.0.1:9000/mcp");
}

TEST_CASE("claude code defaults apply to empty variables, and in command, args and env", "[client_config]") {
  const ClientConfig config = load_fixture("claude_code.mcp.json");
  const ServerEntry tools =
      resolved(config, "local-tools", context({{"CONFIG_PATH", "/etc/tools.json"}, {"TOOLS_HOME", ""}}));
  CHECK(tools.argv == Strings{"/opt/tools/bin/mcp-tools", "--config", "/etc/tools.json"});
  CHECK(tools.env.at("DEBUG") == "false");
  const ServerEntry debug = resolved(config, "local-tools", context({{"CONFIG_PATH", "c"}, {"DEBUG", "true"}}));
  CHECK(debug.env.at("DEBUG") == "true");
}

TEST_CASE("a missing variable says which --var to pass and never prints values", "[client_config]") {
  const ClientConfig config = load_fixture("claude_code.mcp.json");
  auto missing = resolve_server(config, "api-server", context({{"API_BASE_URL", "https://secret-host.test"}}));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::usage);
  CHECK(missing.error().message ==
        "server 'api-server' uses ${API_KEY}, which is not set: pass --var API_KEY=… or set it in the environment");
  CHECK(missing.error().context == Strings{kConfigDir + "/claude_code.mcp.json"});
  CHECK_FALSE(contains(missing.error().describe(), "secret-host"));
}

TEST_CASE("a value from --var wins over the environment and satisfies a missing variable", "[client_config]") {
  const ClientConfig config = load_fixture("claude_code.mcp.json");
  const ServerEntry air =
      resolved(config, "airtable", context({{"AIRTABLE_API_KEY", "from-env"}}, {{"AIRTABLE_API_KEY", "from-var"}}));
  CHECK(air.env.at("AIRTABLE_API_KEY") == "from-var");
  CHECK(air.secrets == Strings{"from-var"});
  const ServerEntry only_var = resolved(config, "airtable", context({}, {{"AIRTABLE_API_KEY", "v"}}));
  CHECK(only_var.env.at("AIRTABLE_API_KEY") == "v");
}

TEST_CASE("claude code sse server", "[client_config]") {
  const ServerEntry asana = resolved(load_fixture("claude_code.mcp.json"), "asana", context());
  CHECK(asana.kind == ServerKind::sse);
  CHECK(asana.url == "https://mcp.asana.com/sse");
  CHECK(asana.argv.empty());
}

// --- VS Code --------------------------------------------------------------------------

TEST_CASE("vscode input given with --var is expanded and secret", "[client_config]") {
  const ClientConfig config = load_fixture("vscode_mcp.json");
  CHECK(config.format == ConfigFormat::vscode);
  const ServerEntry p = resolved(config, "Perplexity", context({}, {{"perplexity-key", "pplx-abc"}}));
  CHECK(p.argv == Strings{"npx", "-y", "server-perplexity-ask"});
  CHECK(p.env.at("PERPLEXITY_API_KEY") == "pplx-abc");
  CHECK(p.secrets == Strings{"pplx-abc"});
}

TEST_CASE("vscode input without --var names the input and its description", "[client_config]") {
  auto p = resolve_server(load_fixture("vscode_mcp.json"), "Perplexity", context());
  REQUIRE_FALSE(p);
  CHECK(p.error().code == Errc::usage);
  CHECK(p.error().message ==
        "server 'Perplexity' uses ${input:perplexity-key} (\"Perplexity API Key\"), which mcpleak cannot prompt "
        "for: pass --var perplexity-key=…");
}

TEST_CASE("vscode http server with an input in a header", "[client_config]") {
  const ServerEntry r = resolved(load_fixture("vscode_mcp.json"), "my-remote", context({}, {{"api-key", "c0ntoso"}}));
  CHECK(r.kind == ServerKind::http);
  CHECK(r.url == "http://api.contoso.com/mcp");
  CHECK(r.headers == std::vector<std::pair<std::string, std::string>>{{"API_KEY", "c0ntoso"}});
  CHECK(r.secrets == Strings{"c0ntoso"});
}

TEST_CASE("vscode workspaceFolder, userHome, env: and envFile", "[client_config]") {
  // The same file where VS Code keeps it: ${workspaceFolder} is the folder holding .vscode.
  const ClientConfig config = from_text(read_text(kConfigDir + "/vscode_mcp.json"), "/src/app/.vscode/mcp.json");
  CHECK(config.format == ConfigFormat::vscode);
  VarContext ctx = context({{"HOME", "/home/me"}, {"TMPDIR", "/tmp/x"}});
  std::string asked;
  ctx.read_env_file = [&](const std::string& path) -> Result<std::string> {
    asked = path;
    return std::string("# comment\nDB_URL=postgres://u:pw@db/app\nLOG_DIR=/from/env/file\nQUOTED=\"a b\"\n");
  };
  const ServerEntry e = resolved(config, "local-project", ctx);
  CHECK(asked == "/src/app/.env");
  CHECK(e.argv == Strings{"/src/app/.venv/bin/python", "/src/app/server.py", "--cache",
                          "/home/me/.cache/local-project"});
  CHECK(e.env.at("DB_URL") == "postgres://u:pw@db/app");
  CHECK(e.env.at("QUOTED") == "a b");
  CHECK(e.env.at("LOG_DIR") == "/tmp/x");  // "env" wins over "envFile"
  CHECK(has_secret(e, "postgres://u:pw@db/app"));
  CHECK(has_secret(e, "/from/env/file"));
  CHECK(has_secret(e, "/tmp/x"));
}

TEST_CASE("vscode envFile without a reader, or unreadable, is an error", "[client_config]") {
  const ClientConfig config = load_fixture("vscode_mcp.json");
  VarContext ctx = context({{"HOME", "/h"}, {"TMPDIR", "/t"}});
  auto no_reader = resolve_server(config, "local-project", ctx);
  REQUIRE_FALSE(no_reader);
  CHECK(contains(no_reader.error().message, "envFile"));
  ctx.read_env_file = [](const std::string& path) -> Result<std::string> {
    return mcpleak::Error(Errc::io, "cannot read: No such file or directory").with(path);
  };
  auto unreadable = resolve_server(config, "local-project", ctx);
  REQUIRE_FALSE(unreadable);
  CHECK(unreadable.error().code == Errc::io);
  CHECK(contains(unreadable.error().describe(), kConfigDir + "/.env"));
}

TEST_CASE("vscode envFile paths: a relative name is the workspace's", "[client_config]") {
  auto with_env_file = [](const char* env_file, const std::string& config_path) {
    const ClientConfig config = from_text(
        std::string(R"({"servers": {"s": {"command": "x", "envFile": ")") + env_file + R"("}}})", config_path);
    std::string asked;
    VarContext ctx = context();
    ctx.read_env_file = [&](const std::string& path) -> Result<std::string> {
      asked = path;
      return std::string("A=1\n");
    };
    resolved(config, "s", ctx);
    return asked;
  };
  CHECK(with_env_file(".env", "/src/app/.vscode/mcp.json") == "/src/app/.env");
  CHECK(with_env_file("${workspaceFolder}/.env", "/src/app/.vscode/mcp.json") == "/src/app/.env");
  CHECK(with_env_file("${workspaceFolder}/.env", "app/.vscode/mcp.json") == "app/.env");
  CHECK(with_env_file("/etc/app.env", "/src/app/.vscode/mcp.json") == "/etc/app.env");
}

TEST_CASE("vscode explicit workspaceFolder and userHome", "[client_config]") {
  VarContext ctx = context({{"TMPDIR", "/t"}});
  ctx.workspace_folder = "/w";
  ctx.user_home = "/u";
  ctx.read_env_file = [](const std::string&) -> Result<std::string> { return std::string(); };
  const ServerEntry e = resolved(load_fixture("vscode_mcp.json"), "local-project", ctx);
  CHECK(e.argv == Strings{"/w/.venv/bin/python", "/w/server.py", "--cache", "/u/.cache/local-project"});
}

// --- Cursor ---------------------------------------------------------------------------

TEST_CASE("cursor env:, workspaceFolder, workspaceFolderBasename and userHome", "[client_config]") {
  const ClientConfig config = from_text(read_text(kConfigDir + "/cursor_mcp.json"), "/src/shop/.cursor/mcp.json");
  CHECK(config.format == ConfigFormat::cursor);
  const ServerEntry local = resolved(config, "local-server", context({{"API_KEY", "cur-key"}}));
  CHECK(local.argv == Strings{"python", "/src/shop/tools/mcp_server.py"});
  CHECK(local.env.at("API_KEY") == "cur-key");
  CHECK(local.env.at("PROJECT") == "shop");
  CHECK(has_secret(local, "cur-key"));

  VarContext home = context();
  home.user_home = "/home/me";
  CHECK(resolved(config, "notes", home).argv == Strings{"npx", "-y", "mcp-notes", "--dir", "/home/me/notes"});
}

TEST_CASE("cursor remote servers: url is http, a /sse url is sse", "[client_config]") {
  const ClientConfig config = load_fixture("cursor_mcp.json");
  const ServerEntry remote = resolved(config, "remote-server", context({{"MY_SERVICE_TOKEN", "tok"}}));
  CHECK(remote.kind == ServerKind::http);
  CHECK(remote.headers[0].second == "Bearer tok");
  CHECK(remote.secrets == Strings{"Bearer tok", "tok"});
  CHECK(resolved(config, "legacy-sse", context()).kind == ServerKind::sse);
}

TEST_CASE("cursor ${env:NAME} unset names the variable", "[client_config]") {
  auto e = resolve_server(load_fixture("cursor_mcp.json"), "remote-server", context());
  REQUIRE_FALSE(e);
  CHECK(e.error().message ==
        "server 'remote-server' uses ${env:MY_SERVICE_TOKEN}, which is not set: pass --var MY_SERVICE_TOKEN=… or "
        "set it in the environment");
}

TEST_CASE("cursor leaves forms it does not expand as written", "[client_config]") {
  const ClientConfig config = from_text(R"({"mcpServers": {"s": {"command": "x", "args": ["${env:A}", "${B}"]}}})");
  CHECK(config.format == ConfigFormat::cursor);
  CHECK(resolved(config, "s", context({{"A", "1"}, {"B", "2"}})).argv == Strings{"x", "1", "${B}"});
}

// --- Windsurf -------------------------------------------------------------------------

TEST_CASE("windsurf serverUrl, env: in headers, disabled servers", "[client_config]") {
  const ClientConfig config = load_fixture("windsurf_mcp_config.json");
  CHECK(config.format == ConfigFormat::windsurf);
  const ServerEntry figma = resolved(config, "figma", context({{"AUTH_TOKEN", "ws-token"}}));
  CHECK(figma.kind == ServerKind::http);
  CHECK(figma.url == "https://mcp.example.com/mcp");
  CHECK(figma.headers[0].second == "Bearer ws-token");
  CHECK(has_secret(figma, "ws-token"));
  const ServerEntry github = resolved(config, "github", context());
  CHECK(github.env.at("GITHUB_PERSONAL_ACCESS_TOKEN") == "ghp_windsurfFixtureNotReal");

  auto servers = list_servers(config);
  REQUIRE(servers);
  REQUIRE(servers->size() == 3);
  CHECK((*servers)[2].name == "old-tool");
  CHECK((*servers)[2].disabled);
  CHECK_FALSE((*servers)[0].disabled);
}

// --- Zed ------------------------------------------------------------------------------

TEST_CASE("zed settings with comments and trailing commas", "[client_config]") {
  const ClientConfig config = load_fixture("zed_settings.json");
  CHECK(config.format == ConfigFormat::zed);
  const ServerEntry current = resolved(config, "local-mcp-server", context());
  CHECK(current.argv == Strings{"some-command", "arg-1", "arg-2"});
  CHECK(current.secrets == Strings{"zed-fixture-token"});
  const ServerEntry older = resolved(config, "my-context-server", context());
  CHECK(older.argv == Strings{"/path/to/my-context-server", "run"});
  const ServerEntry remote = resolved(config, "remote-mcp-server", context());
  CHECK(remote.kind == ServerKind::http);
  CHECK(remote.secrets == Strings{"Bearer zed-remote-token", "zed-remote-token"});
}

TEST_CASE("zed extension server is listed with its problem and cannot be resolved", "[client_config]") {
  const ClientConfig config = load_fixture("zed_settings.json");
  auto servers = list_servers(config);
  REQUIRE(servers);
  REQUIRE(servers->size() == 4);
  const auto& pg = (*servers)[2];  // sorted by name
  CHECK(pg.name == "postgres-context-server");
  CHECK(pg.disabled);
  CHECK(contains(pg.problem, "neither \"command\" nor \"url\""));
  auto e = resolve_server(config, "postgres-context-server", context());
  REQUIRE_FALSE(e);
  CHECK(e.error().code == Errc::usage);
  CHECK(contains(e.error().message, "server 'postgres-context-server' has neither \"command\" nor \"url\""));
}

// --- errors ---------------------------------------------------------------------------

TEST_CASE("unknown server name lists the names present", "[client_config]") {
  auto e = resolve_server(load_fixture("claude_desktop_config.json"), "axreff", context());
  REQUIRE_FALSE(e);
  CHECK(e.error().code == Errc::usage);
  CHECK(e.error().message == "no server 'axreff' in this config; it defines: axref, filesystem, github");
}

TEST_CASE("a server with neither command nor url", "[client_config]") {
  const ClientConfig config = from_text(R"({"mcpServers": {"empty": {"env": {"K": "v"}}}})");
  auto e = resolve_server(config, "empty", context());
  REQUIRE_FALSE(e);
  CHECK(e.error().message == "server 'empty' has neither \"command\" nor \"url\", so mcpleak can neither start nor "
                             "reach it");
}

TEST_CASE("fields of the wrong type give their JSON path", "[client_config]") {
  const ClientConfig config = from_text(R"({"mcpServers": {"s": {"command": "x", "args": "--flag"},
                                                            "t": {"command": "x", "type": "websocket"}}})");
  auto args = resolve_server(config, "s", context());
  REQUIRE_FALSE(args);
  CHECK(args.error().message == "$.mcpServers.s.args: expected an array of strings");
  auto type = resolve_server(config, "t", context());
  REQUIRE_FALSE(type);
  CHECK(type.error().message == "$.mcpServers.t.type: expected \"stdio\", \"http\" or \"sse\"");
  auto listed = list_servers(config);
  REQUIRE(listed);
  CHECK((*listed)[0].problem == "$.mcpServers.s.args: expected an array of strings");
}

TEST_CASE("numbers and booleans in env and args are taken as written", "[client_config]") {
  const ClientConfig config = from_text(R"({"mcpServers": {"s": {"command": "x", "args": ["--port", 8080],
                                                                  "env": {"VERBOSE": true}}}})");
  const ServerEntry e = resolved(config, "s", context());
  CHECK(e.argv == Strings{"x", "--port", "8080"});
  CHECK(e.env.at("VERBOSE") == "true");
}

TEST_CASE("malformed file: what and where, without quoting the file", "[client_config]") {
  const std::string text = "{\n  \"mcpServers\": {\n    \"s\": {\"env\": {\"TOKEN\": \"sk-secret-value\n  }\n}\n";
  auto config = parse_client_config(text, "/x/.mcp.json");
  REQUIRE_FALSE(config);
  CHECK(config.error().code == Errc::usage);
  CHECK(config.error().context == Strings{"/x/.mcp.json"});
  CHECK(contains(config.error().message, "not valid JSON at line 3"));
  CHECK_FALSE(contains(config.error().describe(), "sk-secret"));

  auto missing_brace = parse_jsonc("{\"a\": 1,\n\"b\": }");
  REQUIRE_FALSE(missing_brace);
  CHECK(contains(missing_brace.error().message, "line 2, column 6"));
}

TEST_CASE("trailing commas are allowed, commas inside strings are kept", "[client_config]") {
  auto doc = parse_jsonc("{\"a\": [1, 2,], \"b\": \"x,]\", // c,\n \"c\": {\"d\": 1, /* , */ },}");
  REQUIRE(doc);
  CHECK(*doc == json{{"a", {1, 2}}, {"b", "x,]"}, {"c", {{"d", 1}}}});
}

// --- format detection -----------------------------------------------------------------

TEST_CASE("format detection by shape", "[client_config]") {
  auto detect = [](const char* text) {
    auto f = detect_config_format(json::parse(text), "/x/config.json");
    REQUIRE(f);
    return *f;
  };
  CHECK(detect(R"({"context_servers": {}})") == ConfigFormat::zed);
  CHECK(detect(R"({"servers": {}, "inputs": []})") == ConfigFormat::vscode);
  CHECK(detect(R"({"mcpServers": {"a": {"serverUrl": "https://h/mcp"}}})") == ConfigFormat::windsurf);
  CHECK(detect(R"({"mcpServers": {"a": {"command": "${userHome}/bin/x"}}})") == ConfigFormat::cursor);
  CHECK(detect(R"({"mcpServers": {"a": {"url": "https://h/mcp"}}})") == ConfigFormat::cursor);
  CHECK(detect(R"({"mcpServers": {"a": {"type": "stdio", "command": "x"}}})") == ConfigFormat::claude_code);
  CHECK(detect(R"({"mcpServers": {"a": {"command": "x", "env": {"K": "${K}"}}}})") == ConfigFormat::claude_code);
  CHECK(detect(R"({"mcpServers": {"a": {"command": "x", "args": ["$HOME"]}}})") == ConfigFormat::claude_desktop);
}

TEST_CASE("format detection by file name when the client's key is there", "[client_config]") {
  const json plain = json::parse(R"({"mcpServers": {"a": {"command": "x"}}})");
  CHECK(*detect_config_format(plain, "/p/.cursor/mcp.json") == ConfigFormat::cursor);
  CHECK(*detect_config_format(plain, "/p/.mcp.json") == ConfigFormat::claude_code);
  CHECK(*detect_config_format(plain, "/home/u/.claude.json") == ConfigFormat::claude_code);
  CHECK(*detect_config_format(plain, "/home/u/.codeium/windsurf/mcp_config.json") == ConfigFormat::windsurf);
  // A .vscode/mcp.json without "servers": the name does not fit, the shape decides.
  CHECK(*detect_config_format(plain, "/p/.vscode/mcp.json") == ConfigFormat::claude_desktop);
}

TEST_CASE("ambiguous file: the name settles it, else a usage error", "[client_config]") {
  const json both = json::parse(R"({"servers": {"a": {"command": "x"}}, "mcpServers": {"b": {"command": "y"}}})");
  auto unsure = detect_config_format(both, "/x/config.json");
  REQUIRE_FALSE(unsure);
  CHECK(unsure.error().code == Errc::usage);
  CHECK(contains(unsure.error().message, "cannot tell which client this file is for: it has \"mcpServers\" and "
                                         "\"servers\""));
  CHECK(*detect_config_format(both, "/x/.vscode/mcp.json") == ConfigFormat::vscode);
  CHECK(*detect_config_format(both, "/x/.cursor/mcp.json") == ConfigFormat::cursor);
}

TEST_CASE("unknown file: no server key, or not an object", "[client_config]") {
  auto none = parse_client_config(R"({"theme": "One Dark"})", "/x/settings.json");
  REQUIRE_FALSE(none);
  CHECK(none.error().code == Errc::usage);
  CHECK(contains(none.error().message, "no MCP servers here"));
  CHECK(none.error().context == Strings{"/x/settings.json"});
  auto array = parse_client_config("[1, 2]", "/x/a.json");
  REQUIRE_FALSE(array);
  CHECK(array.error().message == "expected a JSON object at the top level");
}

TEST_CASE("a format given by the caller is not second-guessed", "[client_config]") {
  auto config = parse_client_config(R"({"mcpServers": {"a": {"command": "${X}"}}})", "/x/c.json",
                                    ConfigFormat::claude_desktop);
  REQUIRE(config);
  CHECK(resolved(*config, "a", context({{"X", "1"}})).argv == Strings{"${X}"});
}

// --- variables ------------------------------------------------------------------------

TEST_CASE("expand_vars: each syntax only where enabled", "[client_config]") {
  const VarContext ctx = context({{"A", "1"}, {"EMPTY", ""}});
  auto expand = [&](const char* text, VarSyntax syntax) {
    auto e = expand_vars(text, syntax, ctx, "server 's'");
    if (!e) FAIL(e.error().describe());
    return e->text;
  };
  const VarSyntax shell = syntax("shell");
  const VarSyntax env = syntax("env");
  CHECK(expand("x${A}y", shell) == "x1y");
  CHECK(expand("${EMPTY}", shell) == "");
  CHECK(expand("${EMPTY:-d}", shell) == "d");
  CHECK(expand("${UNSET:-a:b}", shell) == "a:b");
  CHECK(expand("${env:A}", shell) == "${env:A}");
  CHECK(expand("$A and ${not a name}", shell) == "$A and ${not a name}");
  CHECK(expand("${env:A}", env) == "1");
  CHECK(expand("${A}", env) == "${A}");
  CHECK(expand("unclosed ${A", shell) == "unclosed ${A");
  CHECK(expand("${pathSeparator}${/}", syntax("editor")) == "//");
}

TEST_CASE("expand_vars: unknown workspace folder and undeclared input", "[client_config]") {
  const VarContext ctx = context();
  auto folder = expand_vars("${workspaceFolder}/x", syntax("editor"), ctx, "server 's'");
  REQUIRE_FALSE(folder);
  CHECK(folder.error().message ==
        "server 's' uses ${workspaceFolder}, which mcpleak cannot work out here: pass --var workspaceFolder=…");
  auto input = expand_vars("${input:tok}", syntax("input"), ctx, "server 's'");
  REQUIRE_FALSE(input);
  CHECK(input.error().message ==
        "server 's' uses ${input:tok}, which is not declared in \"inputs\", which mcpleak cannot prompt for: pass "
        "--var tok=…");
  auto given = expand_vars("${workspaceFolderBasename}", syntax("editor"),
                           context({}, {{"workspaceFolder", "/src/app/"}}), "server 's'");
  REQUIRE(given);
  CHECK(given->text == "app");
}

// --- dotenv ---------------------------------------------------------------------------

TEST_CASE("dotenv: comments, export, quotes and escapes", "[client_config]") {
  auto pairs = parse_dotenv(
      "# a comment\n\nexport A=1\nB = two words # trailing\nC='single # kept'\nD=\"x\\ny\"\nE=a#b\nF=\r\n");
  REQUIRE(pairs);
  using P = std::pair<std::string, std::string>;
  CHECK(*pairs == std::vector<P>{{"A", "1"}, {"B", "two words"}, {"C", "single # kept"}, {"D", "x\ny"},
                                 {"E", "a#b"}, {"F", ""}});
}

TEST_CASE("dotenv: a bad line gives its number, not its content", "[client_config]") {
  auto bad = parse_dotenv("A=1\nsk-secret-line\n");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "envFile line 2: expected KEY=VALUE");
  auto open = parse_dotenv("A=\"unterminated secret\n");
  REQUIRE_FALSE(open);
  CHECK_FALSE(contains(open.error().message, "secret"));
}

// --- locations ------------------------------------------------------------------------

TEST_CASE("default config paths on macOS and Linux", "[client_config]") {
  CHECK(default_config_paths(ConfigFormat::claude_desktop, HostOs::macos, "/Users/me") ==
        Strings{"/Users/me/Library/Application Support/Claude/claude_desktop_config.json"});
  CHECK(default_config_paths(ConfigFormat::claude_desktop, HostOs::linux_os, "/home/me") ==
        Strings{"/home/me/.config/Claude/claude_desktop_config.json"});
  CHECK(default_config_paths(ConfigFormat::claude_code, HostOs::linux_os, "/home/me") ==
        Strings{".mcp.json", "/home/me/.claude.json"});
  CHECK(default_config_paths(ConfigFormat::vscode, HostOs::linux_os, "/home/me").front() == ".vscode/mcp.json");
  CHECK(default_config_paths(ConfigFormat::cursor, HostOs::macos, "/Users/me") ==
        Strings{".cursor/mcp.json", "/Users/me/.cursor/mcp.json"});
  CHECK(default_config_paths(ConfigFormat::windsurf, HostOs::macos, "/Users/me") ==
        Strings{"/Users/me/.codeium/windsurf/mcp_config.json"});
  CHECK(default_config_paths(ConfigFormat::zed, HostOs::linux_os, "/home/me") ==
        Strings{"/home/me/.config/zed/settings.json"});
}

TEST_CASE("resolve_config_path: files as given, client names to the first existing path", "[client_config]") {
  const auto exists_only = [](Strings files) {
    return [files = std::move(files)](const std::string& p) {
      return std::find(files.begin(), files.end(), p) != files.end();
    };
  };
  CHECK(*resolve_config_path("my.json", HostOs::linux_os, "/h", exists_only({"my.json"})) == "my.json");
  CHECK(*resolve_config_path("cursor", HostOs::linux_os, "/h", exists_only({"/h/.cursor/mcp.json"})) ==
        "/h/.cursor/mcp.json");
  CHECK(*resolve_config_path("claude-code", HostOs::linux_os, "/h", exists_only({".mcp.json", "/h/.claude.json"})) ==
        ".mcp.json");
  auto none = resolve_config_path("windsurf", HostOs::macos, "/h", exists_only({}));
  REQUIRE_FALSE(none);
  CHECK(none.error().message ==
        "no windsurf config found (looked for /h/.codeium/windsurf/mcp_config.json): pass the file's path instead");
  auto neither = resolve_config_path("nope.json", HostOs::linux_os, "/h", exists_only({}));
  REQUIRE_FALSE(neither);
  CHECK(neither.error().code == Errc::usage);
  CHECK(contains(neither.error().message, "neither a file nor a client name"));
}

TEST_CASE("default workspace folder is the config's project", "[client_config]") {
  CHECK(default_workspace_folder("/src/app/.vscode/mcp.json") == "/src/app");
  CHECK(default_workspace_folder("/src/app/.cursor/mcp.json") == "/src/app");
  CHECK(default_workspace_folder("/src/app/.mcp.json") == "/src/app");
  CHECK(default_workspace_folder(".vscode/mcp.json") == ".");
  CHECK(default_workspace_folder("mcp.json") == ".");
}
