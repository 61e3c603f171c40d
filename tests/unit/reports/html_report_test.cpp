#include <regex>
#include <sstream>

#include "reports/report.h"
#include "reports/svg_chart.h"
#include "tests/support/catch.h"
#include "tests/unit/reports/report_fixture.h"

using namespace mcpleak;

namespace {

std::string html(const test::RunFixture& f) {
  std::ostringstream out;
  write_html(f.report, f.samples, f.calls, out);
  return out.str();
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// Largest number of "x,y" pairs in any one polyline or polygon.
std::size_t max_points_per_shape(const std::string& page) {
  std::size_t most = 0;
  const std::regex shape("points=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), shape); it != std::sregex_iterator();
       ++it) {
    const std::string pts = (*it)[1];
    most = std::max<std::size_t>(most, static_cast<std::size_t>(count(pts, ",")));
  }
  return most;
}

}  // namespace

TEST_CASE("report.html never contains hostile server text unescaped", "[reports]") {
  const auto f = test::hostile_run();
  const std::string page = html(f);
  for (const char* raw : {"<script>alert(1)</script>", "<img src=x onerror=alert(2)>",
                          "<svg onload=alert(3)>", "</li><script>alert(4)</script>",
                          "<svg onload=alert(5)>", "<b>loop</b>", "<i>markup</i>",
                          "--name=\"q\" & 'single'", "scen<ario>"}) {
    INFO(raw);
    CHECK(page.find(raw) == std::string::npos);
  }
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("--name=&quot;q&quot; &amp; &#39;\\&#39;&#39;single") != std::string::npos);
  // Non-ASCII letters pass through as UTF-8; invalid bytes do not.
  CHECK(page.find("ünïcødé ✓ 日本") !=
        std::string::npos);
  CHECK(page.find("\xff") == std::string::npos);
  CHECK(count(page, "<script") == 0);
}

TEST_CASE("report.html is self-contained", "[reports]") {
  const std::string page = html(test::leaking_run());
  CHECK(page.find("http://") == page.find("http://www.w3.org/2000/svg"));
  CHECK(count(page, "http://") == 1);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == page.find("url(#plot)"));
}

TEST_CASE("report.html draws footprint, RSS, one line per process, fit and phases",
          "[reports]") {
  const auto f = test::leaking_run();
  const std::string page = html(f);
  CHECK(count(page, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"") == 1);
  CHECK(page.find("<title>footprint (tree, phys_footprint)</title>") != std::string::npos);
  CHECK(page.find("<title>RSS (tree)</title>") != std::string::npos);
  CHECK(page.find("<title>pid 4312 uv</title>") != std::string::npos);
  CHECK(page.find("<title>pid 4313 python3</title>") != std::string::npos);
  CHECK(page.find("<title>pid 4320 osascript</title>") != std::string::npos);
  CHECK(page.find("<title>fitted slope (from warm-up end)</title>") != std::string::npos);
  CHECK(page.find("<title>95% interval of the slope</title>") != std::string::npos);
  CHECK(page.find(">idle</text>") != std::string::npos);
  CHECK(page.find("fill=\"#cf222e\"/>") != std::string::npos);  // a failed-call bar
}

TEST_CASE("report.html bounds the points of every line for long runs", "[reports]") {
  auto f = test::leaking_run();
  // Ten times the samples (every 0.2 s): each line would have 3601 points undownsampled.
  std::vector<Sample> dense;
  for (std::size_t i = 0; i + 1 < f.samples.size(); ++i) {
    for (int k = 0; k < 10; ++k) {
      Sample s = f.samples[i];
      s.t_s += 0.2 * k;
      s.tree.footprint_bytes += static_cast<std::uint64_t>(k * 1000);
      dense.push_back(s);
    }
  }
  f.samples = dense;
  const std::string page = html(f);
  CHECK(max_points_per_shape(page) <= reports::kMaxPointsPerLine);
  CHECK(max_points_per_shape(page) > reports::kMaxPointsPerLine / 2);
}

TEST_CASE("report.html of a single-process run has no per-process lines", "[reports]") {
  auto f = test::leaking_run();
  for (auto& s : f.samples) s.tree.pids.resize(1);
  const std::string page = html(f);
  CHECK(page.find("<title>pid ") == std::string::npos);
}

TEST_CASE("compare page puts both runs on one chart with side-by-side numbers", "[reports]") {
  const auto base = test::leaking_run();
  const auto candidate = test::run_with_verdict(Verdict::bounded);
  std::ostringstream out;
  write_html_compare({base.report, base.samples, base.calls, "v1.2 <orig>"},
                     {candidate.report, candidate.samples, candidate.calls, "v1.3-rc1"}, out);
  const std::string page = out.str();
  CHECK(count(page, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"") == 1);
  CHECK(page.find("<title>v1.2 &lt;orig&gt;: footprint</title>") != std::string::npos);
  CHECK(page.find("<title>v1.3-rc1: footprint</title>") != std::string::npos);
  CHECK(page.find("LEAKING: ") != std::string::npos);
  CHECK(page.find("BOUNDED: ") != std::string::npos);
  CHECK(page.find("<th>v1.2 &lt;orig&gt;</th><th>v1.3-rc1</th>") != std::string::npos);
  CHECK(page.find("v1.2 <orig>") == std::string::npos);
}

TEST_CASE("report.html of a server that failed before any sample is still a page",
          "[reports]") {
  const auto f = test::run_with_verdict(Verdict::server_failed);
  std::ostringstream out;
  write_html(f.report, {}, {}, out);
  const std::string page = out.str();
  CHECK(page.find("SERVER FAILED: server exited with status 1") != std::string::npos);
  CHECK(page.find("<polyline") == std::string::npos);
  CHECK(page.find("nan") == std::string::npos);
  CHECK(page.find("inf") == std::string::npos);
  CHECK(page.rfind("</html>\n") == page.size() - 8);
}

TEST_CASE("report.html shows where it grows: sites, their chart and the heap diff, server text escaped",
          "[reports]") {
  auto f = test::leaking_run();
  WhereItGrows w;
  w.status = "ok";
  w.mode = "node";
  w.statement = "the sites below explain 97%";
  w.sites = {{7, "node", "/srv/s.js:12", "<script>rememberRequest</script>", 16000, std::nullopt, 0.97,
              {{"<script>rememberRequest</script>", "/srv/s.js", 12}, {"handle", "/srv/s.js", 30}},
              {0, 800000, 1600000}, {10, 20, 30}}};
  w.heap_diffs = {{7, {"heap.7.1.heapsnapshot", "heap.7.2.heapsnapshot", "heap.7.4.heapsnapshot"}, {50, 100, 200},
                   60, 50, {{"Array", "object", 50, 1600, 1.0, {"system / Context", "seenRequests", "Array"}}}}};
  f.report.where_it_grows = w;
  const std::string page = html(f);
  CHECK(page.find("<h2>Where it grows</h2>") != std::string::npos);
  CHECK(page.find("<script>rememberRequest") == std::string::npos);
  CHECK(page.find("&lt;script&gt;rememberRequest&lt;/script&gt; (s.js:12)") != std::string::npos);
  CHECK(page.find("live bytes (attribution run)") != std::string::npos);
  CHECK(page.find("system / Context \u2192 seenRequests \u2192 Array") != std::string::npos);
  CHECK(count(page, "<script") == 0);
}
