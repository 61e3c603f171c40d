// read_proc_file and ProcDir against real files: whole-file reads into a reused buffer,
// and errors that carry errno text, the path, and "process gone" only when it is.
#include "probes/proc_read_linux.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/catch.h"

using namespace mcpleak;

namespace {

std::string temp_file_with(const std::string& content) {
  char path[] = "/tmp/mcpleak_proc_read_XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  ::close(fd);
  return path;
}

}  // namespace

TEST_CASE("read_proc_file reads whole files into one reused buffer", "[probes][linux]") {
  // Bigger than the 4 KiB first window, so the buffer must grow mid-read.
  std::string big(10000, 'x');
  for (std::size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  const std::string big_path = temp_file_with(big);
  const std::string small_path = temp_file_with("short\n");

  std::string buf;
  REQUIRE(read_proc_file(big_path.c_str(), buf));
  CHECK(buf == big);
  const auto capacity = buf.capacity();
  REQUIRE(read_proc_file(small_path.c_str(), buf));
  CHECK(buf == "short\n");            // replaced, not appended
  CHECK(buf.capacity() == capacity);  // and the storage was kept for the next read
  ::unlink(big_path.c_str());
  ::unlink(small_path.c_str());
}

TEST_CASE("read_proc_file reads /proc text the kernel generates on read", "[probes][linux]") {
  std::string buf;
  REQUIRE(read_proc_file("/proc/self/stat", buf));
  const std::string expected_prefix = std::to_string(::getpid()) + " (";
  CHECK(buf.compare(0, expected_prefix.size(), expected_prefix) == 0);
}

TEST_CASE("read_proc_file: a missing file is io 'process gone' with the path", "[probes][linux]") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) ::_exit(0);
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  const std::string path = "/proc/" + std::to_string(child) + "/status";

  std::string buf;
  auto read = read_proc_file(path.c_str(), buf);
  REQUIRE_FALSE(read);
  CHECK(read.error().code == Errc::io);
  CHECK(is_process_gone(read.error()));
  CHECK(read.error().message.find("No such file or directory") != std::string::npos);
  REQUIRE(read.error().context.size() == 1);
  CHECK(read.error().context[0] == path);
}

TEST_CASE("read_proc_file: other failures are io but not 'process gone'", "[probes][linux]") {
  std::string buf;
  auto read = read_proc_file("/proc/self", buf);  // a directory: read() fails with EISDIR
  REQUIRE_FALSE(read);
  CHECK(read.error().code == Errc::io);
  CHECK_FALSE(is_process_gone(read.error()));
  CHECK(read.error().message.rfind("read: ", 0) == 0);
}

TEST_CASE("ProcDir lists entries without . and ..", "[probes][linux]") {
  // Three fds of our own that we know are open, looked for among /proc/self/fd.
  const int a = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int b = ::dup(a);
  REQUIRE(a >= 0);
  REQUIRE(b >= 0);
  std::set<std::string> names;
  {
    auto dir = ProcDir::open("/proc/self/fd");
    REQUIRE(dir);
    while (const char* name = dir->next()) names.insert(name);
  }
  ::close(a);
  ::close(b);
  CHECK(names.count(std::to_string(a)) == 1);
  CHECK(names.count(std::to_string(b)) == 1);
  CHECK(names.count(".") == 0);
  CHECK(names.count("..") == 0);

  auto missing = ProcDir::open("/proc/self/no-such-dir");
  REQUIRE_FALSE(missing);
  CHECK(is_process_gone(missing.error()));
}
