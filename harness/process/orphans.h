// Orphans: processes of a server's tree still alive after the server was disconnected.
// mcpleak marks every server it starts with an environment variable that its descendants
// inherit, so it finds them after they left the process group (setsid), were double-forked
// or reparented (to mcpleak as subreaper on Linux, to launchd on macOS).
//
//   ServerUnderTest::disconnect()  closes stdin, SIGTERMs the leader as clients do, then
//   settle_orphans(id, grace, probe)  waits out the grace and lists what is left;
//   clean_up_orphans(list, grace)     SIGTERM, grace, SIGKILL, and reaps.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "harness/model/resources.h"
#include "probes/probe.h"
#include "probes/process_list.h"

namespace mcpleak {

// The variable set in every server mcpleak starts; its value is new_tree_mark().
inline constexpr const char* kTreeMarkVariable = "MCPLEAK_SERVER_TREE";

// Unique to one server start: "<mcpleak's pid>-<n>".
std::string new_tree_mark();

// How the processes of one started server are recognised.
struct TreeIdentity {
  pid_t pgid = -1;           // the process group it was started in
  std::string mark_entry;    // "MCPLEAK_SERVER_TREE=<mark>"
};

// The tree's members among `all`: processes in `pgid` or `marked`, and their descendants.
// Zombies and `self` are never members. Pure; `marked` is asked only about live processes.
std::vector<ProcessEntry> tree_members(std::span<const ProcessEntry> all, pid_t pgid,
                                       const std::function<bool(const ProcessEntry&)>& marked, pid_t self);

// The tree's live members now (one scan of every process).
std::vector<ProcessEntry> live_tree_members(const TreeIdentity& id);

// Once the server's leader is gone: waits up to `grace` for its tree to empty. Members
// that went meanwhile are "exited in grace"; those still alive "survived", with their
// age and footprint read through `probe`. Commands are as read (the caller redacts).
std::vector<OrphanProcess> settle_orphans(const TreeIdentity& id, std::chrono::milliseconds grace, Probe& probe,
                                          int cycle);

// Terminates the survivors: SIGTERM, up to `grace`, SIGKILL; reaps those that are our
// children (reparented to us as subreaper), and marks each cleaned_up. Then looks at the
// `trees` again: a survivor may have started processes since the check (a browser does),
// and those are listed as survivors too and terminated, for up to three rounds.
void clean_up_orphans(std::vector<OrphanProcess>& orphans, std::span<const TreeIdentity> trees,
                      std::chrono::milliseconds grace, Probe& probe);

}  // namespace mcpleak
