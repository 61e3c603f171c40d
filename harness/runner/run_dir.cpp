#include "harness/runner/run_dir.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "harness/analysis/analysis.h"
#include "harness/model/serialize.h"
#include "harness/runner/attribution_dir.h"
#include "reports/report.h"

namespace mcpleak {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::io, std::string("cannot read: ") + std::strerror(errno)).with(path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads one record per line; a line that does not parse (a torn last line after a
// kill) is skipped and counted rather than failing the whole folder.
template <class T>
std::vector<T> read_jsonl(const fs::path& path, Result<T> (*parse)(std::string_view), std::size_t& bad) {
  std::vector<T> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto rec = parse(line);
    if (rec) out.push_back(std::move(*rec));
    else ++bad;
  }
  return out;
}

// Writes to PATH.tmp and renames, so a reader never sees half a report.
Result<void> write_atomically(const fs::path& path, const std::function<void(std::ostream&)>& body) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error(Errc::io, std::string("cannot write: ") + std::strerror(errno)).with(tmp.string());
    body(out);
    out.flush();
    if (!out) return Error(Errc::io, "write failed").with(tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Error(Errc::io, "rename failed: " + ec.message()).with(path.string());
  return {};
}

}  // namespace

Result<RunData> load_run_dir(const std::string& dir) {
  const fs::path root(dir);
  auto run_text = read_file(root / "run.json");
  if (!run_text) return Error(run_text.error()).with("not a run folder? " + dir);
  auto info = run_info_from_json(*run_text);
  if (!info) return Error(info.error()).with((root / "run.json").string());
  RunData data;
  data.run = std::move(*info);
  data.samples = read_jsonl<Sample>(root / "samples.jsonl", sample_from_json, data.bad_lines);
  data.calls = read_jsonl<CallRecord>(root / "calls.jsonl", call_from_json, data.bad_lines);
  return data;
}

Result<void> write_run_info(const std::string& dir, const RunInfo& run) {
  return write_atomically(fs::path(dir) / "run.json",
                          [&](std::ostream& out) { out << to_json_value(run).dump(2) << "\n"; });
}

Result<Report> analyse_and_write_reports(const std::string& dir) {
  auto data = load_run_dir(dir);
  if (!data) return data.error();
  if (data->bad_lines > 0) {
    data->run.warnings.push_back(std::to_string(data->bad_lines) +
                                 " unreadable jsonl lines skipped (a run killed mid-write leaves one)");
  }
  Report report = analyse(data->samples, data->calls, data->run);
  report.where_it_grows = load_where_it_grows(dir, report);
  const fs::path root(dir);
  using Writer = std::function<void(std::ostream&)>;
  const std::pair<const char*, Writer> outputs[] = {
      {"report.json", [&](std::ostream& o) { write_json(report, o); }},
      {"summary.md", [&](std::ostream& o) { write_markdown_summary(report, o); }},
      {"junit.xml", [&](std::ostream& o) { write_junit(report, o); }},
      {"report.html", [&](std::ostream& o) { write_html(report, data->samples, data->calls, o); }},
  };
  for (const auto& [name, write] : outputs) {
    if (auto w = write_atomically(root / name, write); !w) return w.error();
  }
  return report;
}

std::string local_time_text(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char text[64];
  return std::strftime(text, sizeof text, format, &tm) ? text : "";
}

}  // namespace mcpleak
