// The only code in probes/ that touches /proc: read a small file into a reused buffer
// with plain open/read/close, re-read a file kept open (pread from offset 0), and walk a
// directory, each behind an RAII owner. No iostreams, no process spawns, no allocation
// once the caller's buffer has grown.
#pragma once

#include <dirent.h>

#include <string>
#include <string_view>

#include "harness/result.h"

namespace mcpleak {

// Message prefix of an Errc::io error whose file or process no longer exists (ENOENT,
// ESRCH): a pid that exited, which callers treat as churn rather than failure.
inline constexpr std::string_view kProcessGone = "process gone";

// True when error came from read_proc_file/ProcDir::open because the file or its process
// no longer exists.
bool is_process_gone(const Error& error);

// Replaces buf's contents with the whole file at path. buf's capacity is kept and grown
// as needed, so a buffer reused across calls stops allocating. Retries EINTR.
// Errc::io with the errno text and path as context: "process gone: No such file or
// directory" for ENOENT/ESRCH, else "open: Permission denied", "read: ...".
Result<void> read_proc_file(const char* path, std::string& buf);

// A /proc file kept open across ticks and re-read with pread from offset 0: one syscall
// per reading instead of open + read + close (seq_file restarts at offset 0). The open
// file stays bound to the process it was opened for, so a pid reused by a new process
// reads as gone (ESRCH) instead of as the stranger. Move-only; closes in the destructor.
class ProcFile {
 public:
  // Errc::io as read_proc_file, path as context.
  static Result<ProcFile> open(const char* path);
  ProcFile(ProcFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ProcFile& operator=(ProcFile&& other) noexcept;
  ProcFile(const ProcFile&) = delete;
  ProcFile& operator=(const ProcFile&) = delete;
  ~ProcFile();

  // Replaces buf's contents with the file's current contents; errors as read_proc_file
  // ("process gone: ..." once the process has exited).
  Result<void> read(std::string& buf) const;

 private:
  explicit ProcFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Owns a DIR* (closedir in the destructor). Move-only.
class ProcDir {
 public:
  // Errc::io as read_proc_file (ENOENT -> "process gone: ..."), path as context.
  static Result<ProcDir> open(const char* path);
  ProcDir(ProcDir&& other) noexcept : dir_(other.dir_) { other.dir_ = nullptr; }
  ProcDir& operator=(ProcDir&&) = delete;
  ProcDir(const ProcDir&) = delete;
  ProcDir& operator=(const ProcDir&) = delete;
  ~ProcDir();

  // The next entry's name, skipping "." and ".."; nullptr at the end (or on a readdir
  // error, which /proc only gives when the directory's process is gone). Valid until
  // the next call.
  const char* next();

 private:
  explicit ProcDir(DIR* dir) : dir_(dir) {}
  DIR* dir_ = nullptr;
};

}  // namespace mcpleak
