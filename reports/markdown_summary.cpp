// write_markdown_summary(): summary.md for people and $GITHUB_STEP_SUMMARY. Every string
// that came from the server or the scenario goes through markdown_escape.
#include <map>
#include <optional>
#include <utility>

#include "reports/escape.h"
#include "reports/report.h"
#include "reports/resource_rows.h"
#include "reports/summary_rows.h"
#include "reports/where_it_grows_rows.h"
#include "reports/units.h"

namespace mcpleak {
namespace {

using reports::markdown_escape;

void rows_table(const std::vector<reports::SummaryRow>& rows, std::string_view heading,
                std::ostream& out) {
  out << "| " << heading << " | value |\n|---|---|\n";
  for (const auto& row : rows) {
    out << "| " << row.label << " | " << markdown_escape(row.value) << " |\n";
  }
}

void phases_table(const Report& r, std::ostream& out) {
  if (r.run.phases.empty()) return;
  out << "\n| phase | kind | start | end |\n|---|---|---|---|\n";
  for (const auto& p : r.run.phases) {
    out << "| " << markdown_escape(p.name) << " | " << (p.idle ? "idle" : "calls") << " | "
        << reports::format_duration(p.start_s) << " | " << reports::format_duration(p.end_s)
        << " |\n";
  }
}

void diagnostics_table(const Report& r, std::ostream& out) {
  if (r.diagnostics_per_min.empty() && r.diagnostics_end.empty()) return;
  out << "\n### Diagnostics counters\n\n| counter | growth per min | at end |\n|---|---|---|\n";
  // Union of both maps: a counter may have an end value but too few readings for a slope.
  std::map<std::string, std::pair<std::optional<double>, std::optional<double>>> rows;
  for (const auto& [name, v] : r.diagnostics_per_min) rows[name].first = v;
  for (const auto& [name, v] : r.diagnostics_end) rows[name].second = v;
  for (const auto& [name, v] : rows) {
    out << "| " << markdown_escape(name) << " | "
        << (v.first ? reports::format_signed_number(*v.first) : "n/a") << " | "
        << (v.second ? reports::format_number_trimmed(*v.second) : "n/a") << " |\n";
  }
}

void regions_table(const Report& r, std::ostream& out) {
  if (r.region_growth_bytes.empty()) return;
  out << "\n### Region growth\n\n| region | growth |\n|---|---|\n";
  for (const auto& [name, bytes] : r.region_growth_bytes) {
    out << "| " << markdown_escape(name) << " | " << reports::format_signed_bytes(bytes) << " |\n";
  }
}

void processes_table(const Report& r, std::ostream& out) {
  const auto rows = reports::process_rows(r);
  if (rows.empty()) return;
  out << "\n### Processes\n\n| process | role | footprint | growth | share of growth |\n|---|---|---|---|---|\n";
  for (const auto& row : rows) {
    out << "| " << markdown_escape(row.process) << " | " << row.role << " | " << row.footprint << " | "
        << row.growth << " | " << (row.share.empty() ? "n/a" : row.share) << " |\n";
  }
}

void where_it_grows_section(const Report& r, std::ostream& out) {
  if (const std::string next = reports::attribution_next_step(r); !next.empty()) {
    out << "\nFind where it grows (a second, instrumented run):\n\n```\n" << next << "\n```\n";
  }
  if (!r.where_it_grows) return;
  const WhereItGrows& w = *r.where_it_grows;
  out << "\n### Where it grows\n\n" << markdown_escape(reports::where_it_grows_headline(w)) << "\n";
  if (const auto rows = reports::site_rows(w); !rows.empty()) {
    out << "\n| site | growth | share of growth | called from | process |\n|---|---|---|---|---|\n";
    for (const auto& row : rows) {
      out << "| " << markdown_escape(row.site) << " | " << markdown_escape(row.per_call) << " | " << row.share << " | "
          << markdown_escape(row.stack) << " | " << markdown_escape(row.process) << " |\n";
    }
  }
  for (const auto& d : w.heap_diffs) {
    out << "\n" << markdown_escape(reports::heap_diff_headline(d)) << ":\n\n"
        << "| constructor | retained | self size | shortest retainer path |\n|---|---|---|---|\n";
    for (const auto& row : reports::retained_rows(d)) {
      out << "| " << markdown_escape(row.constructor) << " | " << row.count << " | " << row.bytes << " | "
          << markdown_escape(row.path) << " |\n";
    }
  }
  if (const auto types = reports::type_lines(w); !types.empty()) {
    out << "\nObject types that grow:\n\n";
    for (const auto& t : types) out << "- " << markdown_escape(t) << "\n";
  }
  out << "\n";
  for (const auto& n : reports::where_it_grows_notes(r)) out << "- " << markdown_escape(n) << "\n";
}

void resources_section(const Report& r, std::ostream& out) {
  const auto rows = reports::resource_rows(r);
  const std::string check = reports::orphan_check_line(r);
  if (rows.empty() && check.empty()) return;
  out << "\n### Resources\n\n";
  if (!rows.empty()) {
    out << "| resource | verdict | levels | growth | budget | why |\n|---|---|---|---|---|---|\n";
    for (const auto& row : rows) {
      out << "| " << row.resource << " | " << row.verdict << " | " << row.levels << " | " << row.growth << " | "
          << row.budget << " | " << markdown_escape(row.why) << " |\n";
    }
  }
  if (!check.empty()) out << "\n" << markdown_escape(check) << "\n";
  if (const auto orphans = reports::orphan_rows(r); !orphans.empty()) {
    out << "\n| orphan | command | age | footprint | fate | cycle |\n|---|---|---|---|---|---|\n";
    for (const auto& o : orphans) {
      out << "| " << markdown_escape(o.process) << " | " << markdown_escape(o.command) << " | " << o.age << " | "
          << o.footprint << " | " << o.fate << " | " << o.cycle << " |\n";
    }
  }
  if (!r.classes.empty()) {
    out << "\n| growing class (heap(1)) | growth | levels |\n|---|---|---|\n";
    for (const auto& c : r.classes) {
      out << "| " << markdown_escape(c.name) << " | " << markdown_escape(c.headline.substr(c.name.size() + 1)) << " | "
          << c.points << " readings |\n";
    }
  }
  if (const auto cycles = reports::reconnect_rows(r); !cycles.empty()) {
    out << "\n| reconnect | outcome |\n|---|---|\n";
    for (const auto& c : cycles) out << "| " << c.label << " | " << markdown_escape(c.value) << " |\n";
  }
}

void exercise_section(const Report& r, std::ostream& out) {
  const auto tools = reports::exercise_tool_rows(r.exercise);
  const auto errors = reports::exercise_error_lines(r.exercise);
  if (tools.empty() && errors.empty()) return;
  out << "\n### Exercise\n\n" << markdown_escape(reports::exercise_summary(r.exercise)) << "\n\n";
  if (!tools.empty()) {
    // Tool names are the scenario's and the server's text, not ours: escaped too.
    out << "| tool | calls |\n|---|---|\n";
    for (const auto& row : tools) out << "| " << markdown_escape(row.label) << " | " << markdown_escape(row.value) << " |\n";
  }
  if (!errors.empty()) {
    out << "\nFirst errors:\n\n";
    for (const auto& e : errors) out << "- " << markdown_escape(e) << "\n";
  }
}

}  // namespace

void write_markdown_summary(const Report& r, std::ostream& out) {
  // The verdict word is ours and bold; the rest is escaped (a server failure is the
  // server's own text).
  const std::string line = verdict_line(r);
  const auto colon = line.find(':');
  out << "**" << line.substr(0, colon) << "**" << markdown_escape(line.substr(colon)) << "\n\n";
  if (!r.reason.empty()) out << markdown_escape(r.reason) << "\n\n";
  if (r.rss_diverges) {
    out << "> [!WARNING]\n> " << markdown_escape(reports::divergence_warning(r)) << "\n\n";
  }
  rows_table(reports::summary_rows(r), "measure", out);
  if (!r.warnings.empty()) {
    out << "\n### Warnings\n\n";
    for (const auto& w : r.warnings) out << "- " << markdown_escape(w) << "\n";
  }
  processes_table(r, out);
  resources_section(r, out);
  where_it_grows_section(r, out);
  exercise_section(r, out);
  diagnostics_table(r, out);
  regions_table(r, out);
  out << "\n";
  rows_table(reports::run_rows(r.run), "run", out);
  phases_table(r, out);
}

}  // namespace mcpleak
