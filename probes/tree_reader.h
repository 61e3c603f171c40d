// TreeReader: what the sampler reads of one process tree at each tick, keeping what it
// learned between ticks so that a tick costs a few syscalls per process. Probe (probe.h)
// reads everything at once; a TreeReader lets its caller ask for the costly parts (fd
// counts, smaps_rollup) only when they are due. Like every probe it never sleeps, logs
// or reads a clock: the sampler's cadence (harness/sampler/cadence.h) decides what is due.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>

#include "harness/model/sample.h"
#include "harness/result.h"

namespace mcpleak {

// How a tick finds the tree's processes, cheapest first. Every kind keeps the processes
// found before for as long as they live and their parent is still in the tree, and reads
// the children of every thread (a child forked by a worker thread, as by Chromium's
// launcher thread or a Python thread pool, is listed only under that thread).
enum class Discovery {
  // Through the threads known for each process; its threads are listed again only
  // when its thread count changed (Linux: kept-open children files).
  known,
  // Every process's threads listed again first: a thread replaced by another keeps the
  // count, and its children would be missed until then.
  every_thread,
  // Plus a scan of every process on the machine for parent links into the tree: the
  // safety net for children forked while a listing was read, and the only way on a
  // kernel without /proc/PID/task/TID/children.
  full_scan,
};

class TreeReader {
 public:
  virtual ~TreeReader() = default;

  // The tree under the reader's root, root first and parents before children, each
  // process with its cheap fields (footprint, RSS, swap, threads, ppid, name): the
  // verdict metric at every tick. A process that exits meanwhile is left out.
  // Errc::io when the root itself cannot be read ("process gone: ..." once it exited).
  virtual Result<TreeSample> read(Discovery how) = 0;

  // The costly extras of one process of the latest tree, when due. false when they could
  // not be read (gone, refused, or not on this platform); p is then unchanged.
  virtual bool add_memory_detail(PidSample& p) = 0;  // Linux: private dirty, PSS
  virtual bool add_fd_count(PidSample& p) = 0;
};

// The platform's reader for root's tree (tree_reader_linux.cpp / tree_reader_macos.cpp).
// On Linux it keeps at most max_open_files /proc files open (a status file per process,
// a children file per thread) and reads the rest of a huge tree with open/read/close, so
// that mcpleak never runs out of fds itself.
inline constexpr std::size_t kMaxOpenProcFiles = 512;
std::unique_ptr<TreeReader> make_tree_reader(pid_t root, std::size_t max_open_files = kMaxOpenProcFiles);

}  // namespace mcpleak
