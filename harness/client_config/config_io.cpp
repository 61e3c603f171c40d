#include "harness/client_config/config_io.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mcpleak {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, std::string("cannot read: ") + std::strerror(errno)).with(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error(Errc::io, std::string("cannot read: ") + std::strerror(errno)).with(path);
  return text.str();
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

Result<ClientConfig> load_client_config(const std::string& path, std::optional<ConfigFormat> format) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  return parse_client_config(*text, path, format);
}

VarContext process_var_context(std::map<std::string, std::string> vars) {
  VarContext ctx;
  ctx.vars = std::move(vars);
  ctx.env = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  ctx.read_env_file = [](const std::string& path) { return read_text_file(path); };
  return ctx;
}

}  // namespace mcpleak
