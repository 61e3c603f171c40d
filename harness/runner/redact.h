// Keeps secrets out of reports: command-line arguments that look like tokens, keys or
// credentials are replaced by "***" before run.json (and so every report) is written.
#pragma once

#include <string>
#include <vector>

namespace mcpleak {

// Redacts: the value of NAME=VALUE when NAME ends in TOKEN, KEY, SECRET, PASSWORD or
// is AUTHORIZATION (any case, '-' or '_'); the argument after a flag so named
// ("--api-key", "--token"); the credentials of "Authorization: Bearer X" headers;
// user:password@ in URLs, and URL query values so named ("?api_key=X"); the value of
// every "Name: value" after mcpleak's own --header. Everything else is kept as given.
// `secrets` (values from a client config's env and headers) are masked wherever they occur.
std::vector<std::string> redact_command(const std::vector<std::string>& argv,
                                        const std::vector<std::string>& secrets = {});

}  // namespace mcpleak
