#include "harness/install/own_executable.h"

#include <climits>
#include <cstdlib>
#include <memory>
#include <string>
#include <system_error>

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

namespace mcpleak {

std::optional<std::filesystem::path> own_executable() {
#ifdef __APPLE__
  std::uint32_t size = 0;
  _NSGetExecutablePath(nullptr, &size);  // asks for the size it needs
  std::string path(size, '\0');
  if (_NSGetExecutablePath(path.data(), &size) != 0) return std::nullopt;
  path.resize(std::char_traits<char>::length(path.c_str()));
  const std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  if (!resolved) return std::nullopt;
  return std::filesystem::path(resolved.get());
#else
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);  // the kernel's resolved path
  if (ec) return std::nullopt;
  return path;
#endif
}

}  // namespace mcpleak
