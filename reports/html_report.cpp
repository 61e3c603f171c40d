// write_html() / write_html_compare(): report.html, one self-contained page. No scripts,
// no fonts, no images, no links out: it must open from a CI artifact with no network,
// and every byte of server text goes through html_escape.
#include <map>
#include <optional>

#include "reports/escape.h"
#include "reports/html_chart_data.h"
#include "reports/resource_rows.h"
#include "reports/report.h"
#include "reports/summary_rows.h"
#include "reports/where_it_grows_rows.h"
#include "reports/units.h"

namespace mcpleak {
namespace {

using reports::html_escape;

constexpr const char* kStyle = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1140px;color:#24292f;background:#fff;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.verdict{font-size:18px;padding:10px 14px;border-radius:6px;margin:8px 0;border:1px solid}
.v-leaking{background:#ffebe9;border-color:#ff8182}.v-bounded{background:#dafbe1;border-color:#4ac26b}
.v-inconclusive{background:#fff8c5;border-color:#d4a72c}.v-server-failed{background:#ffebe9;border-color:#cf222e}
.reason{margin:4px 0 12px}.warn{background:#fff8c5;border-left:4px solid #d4a72c;padding:8px 12px;margin:8px 0}
svg.chart{width:100%;height:auto;display:block}
ul.legend{list-style:none;padding:0;margin:4px 0 12px;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:6px}
table{border-collapse:collapse;font-size:14px;margin:4px 0}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{font-variant-numeric:tabular-nums}code{font-size:13px}
.cols{display:flex;flex-wrap:wrap;gap:24px}
</style>
)";

void page_start(std::ostream& out, const std::string& title) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Belt and braces: even if escaping were wrong, the page may not run or fetch anything.
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << html_escape(title) << "</title>\n"
      << kStyle << "</head>\n<body>\n";
}

void verdict_block(const Report& r, std::ostream& out) {
  out << "<div class=\"verdict v-" << verdict_name(r.verdict) << "\"><strong>"
      << html_escape(verdict_line(r)) << "</strong></div>\n";
  if (!r.reason.empty()) out << "<p class=\"reason\">" << html_escape(r.reason) << "</p>\n";
  if (r.rss_diverges) {
    out << "<p class=\"warn\">" << html_escape(reports::divergence_warning(r)) << "</p>\n";
  }
}

void rows_table(const std::vector<reports::SummaryRow>& rows, std::ostream& out) {
  out << "<table>\n";
  for (const auto& row : rows) {
    out << "<tr><th>" << html_escape(row.label) << "</th><td class=\"num\">"
        << html_escape(row.value) << "</td></tr>\n";
  }
  out << "</table>\n";
}

void where_it_grows_html(const Report& r, std::ostream& out) {
  if (const std::string next = reports::attribution_next_step(r); !next.empty()) {
    out << "<p>Find where it grows (a second, instrumented run):</p>\n<pre>" << html_escape(next) << "</pre>\n";
  }
  if (!r.where_it_grows) return;
  const WhereItGrows& w = *r.where_it_grows;
  out << "<h2>Where it grows</h2>\n<p>" << html_escape(reports::where_it_grows_headline(w)) << "</p>\n";
  if (const auto rows = reports::site_rows(w); !rows.empty()) {
    out << "<table>\n<tr><th>site</th><th>growth</th><th>share of growth</th><th>called from</th><th>process</th>"
           "</tr>\n";
    for (const auto& row : rows) {
      out << "<tr><td>" << html_escape(row.site) << "</td><td class=\"num\">" << html_escape(row.per_call)
          << "</td><td class=\"num\">" << html_escape(row.share) << "</td><td>" << html_escape(row.stack)
          << "</td><td>" << html_escape(row.process) << "</td></tr>\n";
    }
    out << "</table>\n";
    reports::render_svg(reports::sites_chart(w), out);
  }
  for (const auto& d : w.heap_diffs) {
    out << "<p>" << html_escape(reports::heap_diff_headline(d)) << ":</p>\n<table>\n<tr><th>constructor</th>"
           "<th>retained</th><th>self size</th><th>shortest retainer path</th></tr>\n";
    for (const auto& row : reports::retained_rows(d)) {
      out << "<tr><td>" << html_escape(row.constructor) << "</td><td class=\"num\">" << html_escape(row.count)
          << "</td><td class=\"num\">" << html_escape(row.bytes) << "</td><td>" << html_escape(row.path)
          << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  std::vector<std::string> lines = reports::type_lines(w);
  for (auto& n : reports::where_it_grows_notes(r)) lines.push_back(std::move(n));
  if (!lines.empty()) {
    out << "<ul>\n";
    for (const auto& l : lines) out << "<li>" << html_escape(l) << "</li>\n";
    out << "</ul>\n";
  }
}

void resources_html(const Report& r, std::span<const Sample> samples, std::ostream& out) {
  const auto rows = reports::resource_rows(r);
  const std::string check = reports::orphan_check_line(r);
  if (rows.empty() && check.empty()) return;
  out << "<h2>Resources</h2>\n";
  if (!rows.empty()) {
    out << "<table>\n<tr><th>resource</th><th>verdict</th><th>levels</th><th>growth</th><th>budget</th><th>why</th>"
           "</tr>\n";
    for (const auto& row : rows) {
      out << "<tr><td>" << html_escape(row.resource) << "</td><td>" << html_escape(row.verdict)
          << "</td><td class=\"num\">" << html_escape(row.levels) << "</td><td class=\"num\">"
          << html_escape(row.growth) << "</td><td>" << html_escape(row.budget) << "</td><td>" << html_escape(row.why)
          << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (const reports::Chart chart = reports::resources_chart(samples); !chart.lines.empty()) {
    reports::render_svg(chart, out);
    reports::render_legend(chart, out);
  }
  if (!check.empty()) out << "<p>" << html_escape(check) << "</p>\n";
  if (const auto orphans = reports::orphan_rows(r); !orphans.empty()) {
    out << "<table>\n<tr><th>orphan</th><th>command</th><th>age</th><th>footprint</th><th>fate</th><th>cycle</th>"
           "</tr>\n";
    for (const auto& o : orphans) {
      out << "<tr><td>" << html_escape(o.process) << "</td><td>" << html_escape(o.command) << "</td><td class=\"num\">"
          << html_escape(o.age) << "</td><td class=\"num\">" << html_escape(o.footprint) << "</td><td>"
          << html_escape(o.fate) << "</td><td>" << html_escape(o.cycle) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (const auto cycles = reports::reconnect_rows(r); !cycles.empty()) {
    out << "<table>\n<tr><th>reconnect</th><th>outcome</th></tr>\n";
    for (const auto& c : cycles) {
      out << "<tr><td>" << html_escape(c.label) << "</td><td>" << html_escape(c.value) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
}

void details_tables(const Report& r, std::ostream& out) {
  if (!r.warnings.empty()) {
    out << "<h2>Warnings</h2>\n<ul>\n";
    for (const auto& w : r.warnings) out << "<li>" << html_escape(w) << "</li>\n";
    out << "</ul>\n";
  }
  if (const auto procs = reports::process_rows(r); !procs.empty()) {
    out << "<h2>Processes</h2>\n<table>\n<tr><th>process</th><th>role</th><th>footprint</th><th>growth</th>"
           "<th>share of growth</th></tr>\n";
    for (const auto& row : procs) {
      out << "<tr><td>" << html_escape(row.process) << "</td><td>" << html_escape(row.role) << "</td><td class=\"num\">"
          << html_escape(row.footprint) << "</td><td class=\"num\">" << html_escape(row.growth)
          << "</td><td class=\"num\">" << html_escape(row.share.empty() ? "n/a" : row.share) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  where_it_grows_html(r, out);
  const auto tools = reports::exercise_tool_rows(r.exercise);
  const auto errors = reports::exercise_error_lines(r.exercise);
  if (!tools.empty() || !errors.empty()) {
    out << "<h2>Exercise</h2>\n<p>" << html_escape(reports::exercise_summary(r.exercise)) << "</p>\n";
    if (!tools.empty()) {
      out << "<table>\n<tr><th>tool</th><th>calls</th></tr>\n";
      for (const auto& row : tools) {
        out << "<tr><td>" << html_escape(row.label) << "</td><td class=\"num\">" << html_escape(row.value)
            << "</td></tr>\n";
      }
      out << "</table>\n";
    }
    if (!errors.empty()) {
      out << "<p>First errors:</p>\n<ul>\n";
      for (const auto& e : errors) out << "<li>" << html_escape(e) << "</li>\n";
      out << "</ul>\n";
    }
  }
  if (!r.diagnostics_per_min.empty() || !r.diagnostics_end.empty()) {
    std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> rows;
    for (const auto& [name, v] : r.diagnostics_per_min) rows[name].first = v;
    for (const auto& [name, v] : r.diagnostics_end) rows[name].second = v;
    out << "<h2>Diagnostics counters</h2>\n<table>\n<tr><th>counter</th><th>growth per min</th>"
           "<th>at end</th></tr>\n";
    for (const auto& [name, v] : rows) {
      out << "<tr><td>" << html_escape(name) << "</td><td class=\"num\">"
          << (v.first ? reports::format_signed_number(*v.first) : "n/a") << "</td><td class=\"num\">"
          << (v.second ? reports::format_number_trimmed(*v.second) : "n/a") << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (!r.region_growth_bytes.empty()) {
    out << "<h2>Region growth</h2>\n<table>\n<tr><th>region</th><th>growth</th></tr>\n";
    for (const auto& [name, bytes] : r.region_growth_bytes) {
      out << "<tr><td>" << html_escape(name) << "</td><td class=\"num\">"
          << reports::format_signed_bytes(bytes) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (!r.run.phases.empty()) {
    out << "<h2>Phases</h2>\n<table>\n<tr><th>phase</th><th>kind</th><th>start</th><th>end</th></tr>\n";
    for (const auto& p : r.run.phases) {
      out << "<tr><td>" << html_escape(p.name) << "</td><td>" << (p.idle ? "idle" : "calls")
          << "</td><td class=\"num\">" << reports::format_duration(p.start_s)
          << "</td><td class=\"num\">" << reports::format_duration(p.end_s) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
}

// Base and candidate rows side by side, matched by label (optional rows may be missing
// on one side).
void compare_table(const std::vector<reports::SummaryRow>& base,
                   const std::vector<reports::SummaryRow>& candidate, const std::string& base_label,
                   const std::string& candidate_label, std::ostream& out) {
  std::vector<std::string> labels;
  std::map<std::string, std::pair<std::string, std::string>> values;
  for (const auto& row : base) {
    labels.push_back(row.label);
    values[row.label].first = row.value;
  }
  for (const auto& row : candidate) {
    if (!values.count(row.label)) labels.push_back(row.label);
    values[row.label].second = row.value;
  }
  out << "<table>\n<tr><th></th><th>" << html_escape(base_label) << "</th><th>"
      << html_escape(candidate_label) << "</th></tr>\n";
  for (const auto& label : labels) {
    out << "<tr><th>" << html_escape(label) << "</th><td class=\"num\">"
        << html_escape(values[label].first) << "</td><td class=\"num\">"
        << html_escape(values[label].second) << "</td></tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void write_html(const Report& r, std::span<const Sample> samples, std::span<const CallRecord> calls,
                std::ostream& out) {
  page_start(out, "mcpleak: " + std::string(verdict_name(r.verdict)) + " - " + r.run.scenario);
  out << "<h1>mcpleak report: " << html_escape(r.run.scenario) << "</h1>\n";
  verdict_block(r, out);
  const reports::Chart chart = reports::run_chart(r, samples, calls);
  reports::render_svg(chart, out);
  reports::render_legend(chart, out);
  out << "<div class=\"cols\">\n<div>\n<h2>Numbers</h2>\n";
  rows_table(reports::summary_rows(r), out);
  out << "</div>\n<div>\n<h2>Run</h2>\n";
  rows_table(reports::run_rows(r.run), out);
  out << "</div>\n</div>\n";
  resources_html(r, samples, out);
  details_tables(r, out);
  out << "</body>\n</html>\n";
}

void write_html_compare(const HtmlRun& base, const HtmlRun& candidate, std::ostream& out) {
  page_start(out, "mcpleak compare: " + base.label + " vs " + candidate.label);
  out << "<h1>mcpleak compare: " << html_escape(base.label) << " vs "
      << html_escape(candidate.label) << "</h1>\n";
  for (const HtmlRun* run : {&base, &candidate}) {
    out << "<h2>" << html_escape(run->label) << "</h2>\n";
    verdict_block(run->report, out);
  }
  const reports::Chart chart =
      reports::compare_chart(base.report, base.samples, base.label, candidate.report,
                             candidate.samples, candidate.label);
  reports::render_svg(chart, out);
  reports::render_legend(chart, out);
  out << "<h2>Numbers</h2>\n";
  compare_table(reports::summary_rows(base.report), reports::summary_rows(candidate.report),
                base.label, candidate.label, out);
  out << "<h2>Runs</h2>\n";
  compare_table(reports::run_rows(base.report.run), reports::run_rows(candidate.report.run),
                base.label, candidate.label, out);
  out << "</body>\n</html>\n";
}

}  // namespace mcpleak
