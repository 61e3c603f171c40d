// parse_proc_stat and parse_children_list: the pure halves of the Linux process-tree
// walk, on a captured stat line with an awkward comm and on broken input.
#include "probes/proc_stat_parse.h"

#include <cstdlib>

#include "tests/support/catch.h"
#include "tests/unit/probes/proc_fixture.h"

using namespace mcpleak;

TEST_CASE("proc stat: comm with spaces and parentheses is taken up to the last ')'",
          "[probes][linux][parse]") {
  const std::string text = mcpleak::test::read_proc_fixture("stat_odd_comm.txt");
  const std::string line = text.substr(text.find('\n') + 1);
  // Independent reading of the capture: pid leads the line, and the capture was of a
  // sleeping (S) process named "my (odd) comm", so ppid follows ") S ".
  const long pid = std::strtol(line.c_str(), nullptr, 10);
  const auto after_state = line.find(") S ");
  REQUIRE(after_state != std::string::npos);
  const long ppid = std::strtol(line.c_str() + after_state + 4, nullptr, 10);

  auto stat = parse_proc_stat(text);
  REQUIRE(stat);
  CHECK(stat->pid == pid);
  CHECK(stat->comm == "my (odd) comm");
  CHECK(stat->state == 'S');
  CHECK(stat->ppid == ppid);
}

TEST_CASE("proc stat: ppid 0 (init, kthreadd) is valid", "[probes][linux][parse]") {
  auto stat = parse_proc_stat("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0");
  REQUIRE(stat);
  CHECK(stat->pid == 2);
  CHECK(stat->ppid == 0);
}

TEST_CASE("proc stat: malformed lines are parse errors", "[probes][linux][parse]") {
  const std::string text = GENERATE(std::string(), std::string("garbage"), std::string("12 (cat"),
                                    std::string("12 cat) S 1"), std::string("abc (cat) S 1"),
                                    std::string("0 (cat) S 1"), std::string("12 (cat) S"),
                                    std::string("12 (cat) S -1"), std::string("12 (cat) SS 1"),
                                    std::string("12 (cat) S x1"), std::string("12 )cat( S 1"));
  CAPTURE(text);
  auto stat = parse_proc_stat(text);
  REQUIRE_FALSE(stat);
  CHECK(stat.error().code == Errc::parse);
}

TEST_CASE("children list: pids are appended in order", "[probes][linux][parse]") {
  std::vector<pid_t> out{7};
  REQUIRE(parse_children_list("5109 5110 ", out));
  CHECK(out == std::vector<pid_t>{7, 5109, 5110});
  REQUIRE(parse_children_list("", out));
  REQUIRE(parse_children_list("\n", out));
  CHECK(out.size() == 3);
}

TEST_CASE("children list: a bad token is a parse error and leaves out unchanged",
          "[probes][linux][parse]") {
  const std::string text = GENERATE(std::string("5109 x "), std::string("5109 0 "),
                                    std::string("-1"), std::string("5109 99999999999"));
  CAPTURE(text);
  std::vector<pid_t> out{7};
  auto parsed = parse_children_list(text, out);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == Errc::parse);
  CHECK(out == std::vector<pid_t>{7});
}
