// parse_proc_status on captured /proc/PID/status text (tests/fixtures/proc/) and on
// broken input. The fixtures keep their "# ..." provenance line: the parser documents
// that it skips '#' lines, so the text is passed as captured.
#include "probes/proc_status_parse.h"

#include "tests/support/catch.h"
#include "tests/unit/probes/proc_fixture.h"

using namespace mcpleak;
using mcpleak::test::edit_line;
using mcpleak::test::line_number;
using mcpleak::test::line_value;
using mcpleak::test::read_proc_fixture;

namespace {
constexpr std::uint64_t KiB = 1024;
}

TEST_CASE("proc status: captured text gives the fixture's numbers in bytes",
          "[probes][linux][parse]") {
  const std::string name =
      GENERATE(std::string("status_cat.txt"), std::string("status_python_threads.txt"));
  CAPTURE(name);
  const std::string text = read_proc_fixture(name);
  REQUIRE(text.rfind("# ", 0) == 0);  // provenance comment is there and must be skipped

  auto status = parse_proc_status(text);
  REQUIRE(status);
  CHECK(status->name == *line_value(text, "Name"));
  CHECK(status->ppid == static_cast<pid_t>(*line_number(text, "PPid")));
  CHECK(status->threads == *line_number(text, "Threads"));
  CHECK(status->rss_anon_bytes == *line_number(text, "RssAnon") * KiB);
  CHECK(status->rss_file_bytes == *line_number(text, "RssFile") * KiB);
  CHECK(status->rss_shmem_bytes == *line_number(text, "RssShmem") * KiB);
  CHECK(status->vm_rss_bytes == *line_number(text, "VmRSS") * KiB);
  REQUIRE(status->vm_swap_bytes);
  CHECK(*status->vm_swap_bytes == *line_number(text, "VmSwap") * KiB);
  CHECK(status->footprint_bytes() ==
        (*line_number(text, "RssAnon") + *line_number(text, "VmSwap")) * KiB);
}

TEST_CASE("proc status: footprint adds VmSwap to RssAnon", "[probes][linux][parse]") {
  // The captures were taken without swap; give one a swapped-out part.
  const std::string base = read_proc_fixture("status_python_threads.txt");
  const std::string text = edit_line(base, "VmSwap", std::string("  123456 kB"));
  auto status = parse_proc_status(text);
  REQUIRE(status);
  REQUIRE(status->vm_swap_bytes);
  CHECK(*status->vm_swap_bytes == 123456 * KiB);
  CHECK(status->footprint_bytes() == (*line_number(base, "RssAnon") + 123456) * KiB);
}

TEST_CASE("proc status: a missing VmSwap line is absent, not an error", "[probes][linux][parse]") {
  const std::string text = edit_line(read_proc_fixture("status_cat.txt"), "VmSwap", std::nullopt);
  REQUIRE_FALSE(line_value(text, "VmSwap"));
  auto status = parse_proc_status(text);
  REQUIRE(status);
  CHECK_FALSE(status->vm_swap_bytes);
  CHECK(status->footprint_bytes() == *line_number(text, "RssAnon") * KiB);
}

TEST_CASE("proc status: kernel before 4.5 (no RssAnon) is a parse error, never zero",
          "[probes][linux][parse]") {
  const std::string text = read_proc_fixture("status_linux44_no_rssanon.txt");
  REQUIRE(line_value(text, "VmRSS"));  // the fixture still has the other memory lines
  auto status = parse_proc_status(text);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::parse);
  CHECK(status.error().message == "no RssAnon line");
}

TEST_CASE("proc status: a kernel thread is a parse error that says so", "[probes][linux][parse]") {
  auto status = parse_proc_status(read_proc_fixture("status_kthread.txt"));
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::parse);
  CHECK(status.error().message == "no RssAnon line (kernel thread)");
}

TEST_CASE("proc status: each required line is required", "[probes][linux][parse]") {
  const std::string key = GENERATE(std::string("Name"), std::string("PPid"), std::string("VmRSS"),
                                   std::string("RssAnon"), std::string("RssFile"),
                                   std::string("RssShmem"), std::string("Threads"));
  CAPTURE(key);
  auto status =
      parse_proc_status(edit_line(read_proc_fixture("status_cat.txt"), key, std::nullopt));
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::parse);
  CHECK(status.error().message == "no " + key + " line");
}

TEST_CASE("proc status: malformed values are parse errors naming the line",
          "[probes][linux][parse]") {
  const std::string base = read_proc_fixture("status_cat.txt");
  struct Case {
    const char* key;
    const char* value;
  };
  const Case bad =
      GENERATE(Case{"RssAnon", "abc kB"}, Case{"RssAnon", "-112 kB"},
               Case{"RssAnon", "112"},  // truncated before the unit
               Case{"RssAnon", "112 MB"}, Case{"RssAnon", "1 2 kB"},
               Case{"RssAnon", "99999999999999999999 kB"},  // > uint64
               Case{"VmRSS", "0x10 kB"}, Case{"VmSwap", "kB"}, Case{"PPid", "1.5"},
               Case{"PPid", "99999999999"}, Case{"Threads", ""}, Case{"Threads", "four"});
  CAPTURE(bad.key, bad.value);
  auto status = parse_proc_status(edit_line(base, bad.key, std::string(bad.value)));
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::parse);
  CHECK(status.error().message.find(std::string("bad ") + bad.key + " value") == 0);
}

TEST_CASE("proc status: garbage and truncated text are parse errors", "[probes][linux][parse]") {
  const std::string full = read_proc_fixture("status_cat.txt");
  const std::size_t anon = full.find("RssAnon:");
  REQUIRE(anon != std::string::npos);
  const std::string text = GENERATE_COPY(
      std::string(), std::string("\x01\x02\xff garbage\n\n::::\n"), std::string("RssAnon"),
      full.substr(0, anon),                                        // cut before the RssAnon line
      full.substr(0, anon + std::string("RssAnon:\t   ").size()),  // cut inside its value
      full.substr(0, full.size() / 3));
  auto status = parse_proc_status(text);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == Errc::parse);
}
