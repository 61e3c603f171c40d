#include "probes/proc_read_linux.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcpleak {
namespace {

// Owns one file descriptor for the length of a read.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Error errno_error(const char* op, int err, const char* path) {
  std::string message;
  if (err == ENOENT || err == ESRCH) {
    message.assign(kProcessGone);
  } else {
    message.assign(op);
  }
  message += ": ";
  message += std::strerror(err);
  return Error(Errc::io, std::move(message)).with(path);
}

// /proc status-like files are a few kB; start there and double.
constexpr std::size_t kInitialCapacity = 4096;

// Reads fd from offset 0 to its end into buf with pread, so a kept-open file can be
// re-read without a seek; the first short read of /proc's seq_files is not the end.
Result<void> read_whole(int fd, std::string& buf, const char* path) {
  if (buf.capacity() < kInitialCapacity) buf.reserve(kInitialCapacity);
  // Use the whole capacity as the read window; shrink to what was read at the end.
  buf.resize(buf.capacity());
  std::size_t used = 0;
  bool seekable = true;  // a stream-like file (ESPIPE) is read on from where it is
  for (;;) {
    if (used == buf.size()) buf.resize(buf.size() * 2);
    const ssize_t n = seekable ? ::pread(fd, buf.data() + used, buf.size() - used, static_cast<off_t>(used))
                               : ::read(fd, buf.data() + used, buf.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ESPIPE && seekable && used == 0) {
        seekable = false;
        continue;
      }
      const int err = errno;
      buf.clear();
      return errno_error("read", err, path);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  buf.resize(used);
  return {};
}

}  // namespace

bool is_process_gone(const Error& error) {
  return error.code == Errc::io &&
         std::string_view(error.message).substr(0, kProcessGone.size()) == kProcessGone;
}

Result<void> read_proc_file(const char* path, std::string& buf) {
  Fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return errno_error("open", errno, path);
  return read_whole(fd.get(), buf, path);
}

Result<ProcFile> ProcFile::open(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("open", errno, path);
  return ProcFile(fd);
}

ProcFile& ProcFile::operator=(ProcFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ProcFile::~ProcFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> ProcFile::read(std::string& buf) const { return read_whole(fd_, buf, "kept-open /proc file"); }

Result<ProcDir> ProcDir::open(const char* path) {
  DIR* dir = ::opendir(path);
  if (dir == nullptr) return errno_error("opendir", errno, path);
  return ProcDir(dir);
}

ProcDir::~ProcDir() {
  if (dir_ != nullptr) ::closedir(dir_);
}

const char* ProcDir::next() {
  if (dir_ == nullptr) return nullptr;
  while (const dirent* entry = ::readdir(dir_)) {
    const char* name = entry->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    return name;
  }
  return nullptr;
}

}  // namespace mcpleak
