// The subcommands of mcpleak. Each registers its options on a CLI11 subcommand and
// runs once parsed; main.cpp only parses and dispatches.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mcpleak::cli {

// What a registered subcommand runs after parsing: returns the process exit code.
// `server_argv` is everything after the first "--" on the command line.
using CommandFn = std::function<int(const std::vector<std::string>& server_argv)>;

struct Command {
  CLI::App* sub;
  CommandFn run;
};

Command add_run_command(CLI::App& app);
Command add_report_command(CLI::App& app);
Command add_probe_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_ab_command(CLI::App& app);
Command add_servers_command(CLI::App& app);
Command add_watch_command(CLI::App& app);

}  // namespace mcpleak::cli
