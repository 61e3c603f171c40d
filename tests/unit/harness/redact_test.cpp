// Secrets in a server's command line never reach a report.
#include "harness/runner/redact.h"
#include "tests/support/catch.h"

using mcpleak::redact_command;

TEST_CASE("NAME=VALUE arguments with secret-looking names are masked", "[runner][redact]") {
  const auto out = redact_command({"env", "GITHUB_TOKEN=ghp_abc123", "OPENAI_API_KEY=sk-x", "client_secret=s",
                                   "DB_PASSWORD=pw", "MODE=fast", "--port=8080"});
  CHECK(out == std::vector<std::string>{"env", "GITHUB_TOKEN=***", "OPENAI_API_KEY=***", "client_secret=***",
                                        "DB_PASSWORD=***", "MODE=fast", "--port=8080"});
}

TEST_CASE("the value after a secret-named flag is masked", "[runner][redact]") {
  const auto out = redact_command({"server", "--api-key", "sk-123", "--token", "t0k", "--name", "Finder"});
  CHECK(out == std::vector<std::string>{"server", "--api-key", "***", "--token", "***", "--name", "Finder"});
}

TEST_CASE("authorization headers and URL passwords are masked", "[runner][redact]") {
  const auto out = redact_command({"curl", "Authorization: Bearer abc.def", "https://me:pw@example.test/mcp",
                                   "https://example.test/a@b", "https://user@example.test/"});
  CHECK(out[1] == "Authorization: ***");
  CHECK(out[2] == "https://***@example.test/mcp");
  CHECK(out[3] == "https://example.test/a@b");
  CHECK(out[4] == "https://user@example.test/");
}

TEST_CASE("an ordinary command line is unchanged", "[runner][redact]") {
  const std::vector<std::string> argv = {"uvx", "--from", "macos-mcp==0.1.0", "macos-mcp", "--transport", "stdio"};
  CHECK(redact_command(argv) == argv);
}

TEST_CASE("URL query values with secret-looking names are masked, the rest kept", "[runner][redact]") {
  const auto out = redact_command({"http://127.0.0.1:8931/mcp?api_key=sk-1&mode=fast&access_token=t&x",
                                   "http://127.0.0.1:8931/mcp?mode=fast"});
  CHECK(out[0] == "http://127.0.0.1:8931/mcp?api_key=***&mode=fast&access_token=***&x");
  CHECK(out[1] == "http://127.0.0.1:8931/mcp?mode=fast");
}

TEST_CASE("header values after --header and a config's secret values are masked wherever they occur", "[runner][redact]") {
  const std::vector<std::string> argv = {"mcpleak", "run",       "--header", "X-Api-Key: abc123",
                                         "--header=Cookie: s=1", "--",       "srv",
                                         "--org=acme",           "--url=http://h/acme_s3cr3t/x"};
  // "acme" is a secret too, and part of the longer one: the longer is masked whole.
  const auto out = redact_command(argv, {"acme", "acme_s3cr3t"});
  CHECK(out[3] == "X-Api-Key: ***");
  CHECK(out[4] == "--header=Cookie: ***");
  CHECK(out[7] == "--org=***");
  CHECK(out[8] == "--url=http://h/***/x");
  for (const auto& a : out) CHECK(a.find("s3cr3t") == std::string::npos);
  // Values too short to be secrets are not hunted for in unrelated text.
  CHECK(redact_command({"run", "--rate", "10"}, {"1"})[2] == "10");
}
