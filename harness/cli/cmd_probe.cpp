// `mcpleak probe PID`: one sample of a live process tree, printed.
#include <cstdio>
#include <iostream>

#include "harness/analysis/format.h"
#include "harness/cli/commands.h"
#include "harness/cli/exit_codes.h"
#include "harness/model/serialize.h"
#include "probes/probe.h"

namespace mcpleak::cli {

Command add_probe_command(CLI::App& app) {
  auto* sub = app.add_subcommand("probe", "print one memory sample of a live process tree");
  auto pid = std::make_shared<int>(0);
  auto json = std::make_shared<bool>(false);
  sub->add_option("PID", *pid, "root of the tree")->required()->check(CLI::PositiveNumber);
  sub->add_flag("--json", *json, "print the sample as JSON");
  return {sub, [pid, json](const std::vector<std::string>&) {
            auto probe = make_footprint_probe();
            auto tree = sample_tree(*probe, static_cast<pid_t>(*pid));
            if (!tree) {
              std::fprintf(stderr, "mcpleak: error: %s\n", tree.error().describe().c_str());
              return kExitUsage;
            }
            if (*json) {
              Sample s;
              s.tree = *tree;
              std::cout << to_json_value(s).dump(2) << "\n";
              return 0;
            }
            std::printf("%-8s %-8s %-16s %12s %12s %10s %8s %5s\n", "PID", "PPID", "NAME", "FOOTPRINT",
                        "RSS", "SWAP", "THREADS", "FDS");
            for (const auto& p : tree->pids) {
              std::printf("%-8d %-8d %-16.16s %12s %12s %10s %8s %5s\n", static_cast<int>(p.pid),
                          static_cast<int>(p.ppid), p.name.c_str(),
                          analysis::format_bytes(static_cast<double>(p.footprint_bytes)).c_str(),
                          analysis::format_bytes(static_cast<double>(p.rss_bytes)).c_str(),
                          p.swap_bytes ? analysis::format_bytes(static_cast<double>(*p.swap_bytes)).c_str() : "-",
                          p.threads ? std::to_string(*p.threads).c_str() : "-",
                          p.fds ? std::to_string(*p.fds).c_str() : "-");
            }
            std::printf("%-8s %-8s %-16s %12s %12s   (%s, %zu processes)\n", "total", "", "",
                        analysis::format_bytes(static_cast<double>(tree->footprint_bytes)).c_str(),
                        analysis::format_bytes(static_cast<double>(tree->rss_bytes)).c_str(),
                        std::string(probe->name()).c_str(), tree->pids.size());
            return 0;
          }};
}

}  // namespace mcpleak::cli
