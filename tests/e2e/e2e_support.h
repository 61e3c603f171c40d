// Helpers for end-to-end tests: run the real mcpleak binary against real server
// processes, read what it left on disk, and check that no server process survived.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace e2e {

inline std::string mcpleak_bin() { return MCPLEAK_BINARY_DIR "/harness/cli/mcpleak"; }
inline std::string test_server_bin() { return MCPLEAK_BINARY_DIR "/tests/servers/mcp_test_server"; }
inline std::string axref_bin() { return MCPLEAK_BINARY_DIR "/reference/axref"; }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::size_t count_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

// A fresh, empty folder per test under the build tree.
inline std::string fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::path(MCPLEAK_BINARY_DIR) / "e2e-out" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int exit_code = -1;
  std::string out_dir;
  std::string stdout_text;
  std::string stderr_text;
  nlohmann::json report;  // report.json, null when missing

  std::vector<pid_t> server_pids() const {
    std::vector<pid_t> pids;
    if (report.is_object() && report.contains("server")) {
      for (const auto& p : report["server"]["pids"]) pids.push_back(p.get<pid_t>());
    }
    return pids;
  }
};

inline Run load_run(const std::string& out_dir) {
  Run r;
  r.out_dir = out_dir;
  const auto report = std::filesystem::path(out_dir) / "report.json";
  if (std::filesystem::exists(report)) r.report = nlohmann::json::parse(read_text(report), nullptr, false);
  return r;
}

// Runs `mcpleak ARGS -- SERVER...` to completion (killed after `limit_s`, which only a
// hung mcpleak reaches) with its output captured.
inline Run run_mcpleak(const std::string& name, const std::vector<std::string>& args,
                       const std::vector<std::string>& server, int limit_s = 300) {
  const std::string dir = fresh_dir(name);
  std::string cmd = "timeout -k 5 " + std::to_string(limit_s) + " " + shell_quote(mcpleak_bin());
  for (const auto& a : args) cmd += " " + shell_quote(a);
  if (std::find(args.begin(), args.end(), "--out") == args.end() && !args.empty() &&
      (args[0] == "run" || args[0] == "ab")) {
    cmd += " --out " + shell_quote(dir + "/run");
  }
  if (!server.empty()) {
    cmd += " --";
    for (const auto& s : server) cmd += " " + shell_quote(s);
  }
  cmd += " >" + shell_quote(dir + "/stdout.txt") + " 2>" + shell_quote(dir + "/stderr.txt") + " </dev/null";
  const int status = std::system(cmd.c_str());
  Run r = load_run(dir + "/run");
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.stdout_text = read_text(dir + "/stdout.txt");
  r.stderr_text = read_text(dir + "/stderr.txt");
  return r;
}

// A loopback TCP port the kernel just handed out and nobody listens on (another process
// may take it before the test does; the kernel hands ports out in turn, so that is rare).
inline int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Whether something accepts TCP connections on the loopback port.
inline bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

inline std::string mcp_url(int port) { return "http://127.0.0.1:" + std::to_string(port) + "/mcp"; }

// axref serving Streamable HTTP on the port, with `extra` flags.
inline std::vector<std::string> axref_http(int port, std::vector<std::string> extra = {}) {
  std::vector<std::string> cmd{axref_bin(), "--transport", "streamable-http", "--port", std::to_string(port)};
  cmd.insert(cmd.end(), extra.begin(), extra.end());
  return cmd;
}

// True when no process of `pid`'s former process group (the server leads its own
// group, so its pid is the pgid) is alive, and `pid` itself is gone.
inline bool group_gone(pid_t pgid) {
  return ::kill(-pgid, 0) != 0 && errno == ESRCH && (::kill(pgid, 0) != 0 && errno == ESRCH);
}

// Every pid the run recorded is gone, and so is the leader's group.
inline bool no_server_left(const Run& r) {
  for (pid_t p : r.server_pids()) {
    if (::kill(p, 0) == 0) return false;
  }
  const auto pids = r.server_pids();
  return pids.empty() || group_gone(pids.front());
}

}  // namespace e2e
