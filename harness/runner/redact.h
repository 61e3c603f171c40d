// Keeps secrets out of reports: command-line arguments that look like tokens, keys or
// credentials are replaced by "***" before run.json (and so every report) is written.
#pragma once

#include <string>
#include <vector>

namespace mcpleak {

// Redacts: the value of NAME=VALUE when NAME ends in TOKEN, KEY, SECRET, PASSWORD or
// is AUTHORIZATION (any case, '-' or '_'); the argument after a flag so named
// ("--api-key", "--token"); the credentials of "Authorization: Bearer X" headers;
// user:password@ in URLs, and URL query values so named ("?api_key=X"). Everything else is kept as given.
std::vector<std::string> redact_command(const std::vector<std::string>& argv);

}  // namespace mcpleak
