#include "reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "reports/escape.h"
#include "reports/units.h"

namespace mcpleak::reports {
namespace {

constexpr double kWidth = 1100;
constexpr double kLeft = 72, kRight = 24, kTop = 40;
constexpr double kPlotHeight = 360;
constexpr double kStripGap = 26, kStripHeight = 70, kBottom = 42;

// 1, 2 or 5 times a power of ten: tick steps people can read.
double nice_step(double rough) {
  if (!(rough > 0) || !std::isfinite(rough)) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  const double f = rough / power;
  return power * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}

// A tick label with as many decimals as the step needs: 50, 2.5, 0.25 (never "50.0").
std::string tick_label(double value, double step) {
  int decimals = 0;
  while (decimals < 6 && std::fabs(step * std::pow(10.0, decimals) -
                                   std::round(step * std::pow(10.0, decimals))) > 1e-6) {
    ++decimals;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value) < step * 1e-9 ? 0.0 : value);
  return buf;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Axes {
  double x_max = 1;      // seconds
  double y_min = 0;      // bytes
  double y_max = 1;
  double x_scale = 1;    // 1 (seconds) or 60 (minutes)
  const char* x_unit = "s";
  ByteUnit y_unit;
  double y_step = 1;     // bytes
  double x_step = 1;     // seconds
  double strip_top = 0;
  double strip_max = 0;  // calls/s

  double px(double x_s) const { return kLeft + (kWidth - kLeft - kRight) * x_s / x_max; }
  double py(double y) const { return kTop + kPlotHeight * (1 - (y - y_min) / (y_max - y_min)); }
  double pstrip(double rate) const {
    return strip_top + kStripHeight * (1 - (strip_max > 0 ? rate / strip_max : 0));
  }
};

Axes make_axes(const Chart& c) {
  Axes a;
  double x_max = c.x_end_s, lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& line : c.lines) {
    for (const auto& p : line.points) {
      if (c.x_end_s <= 0) x_max = std::max(x_max, p.x);
      if (!line.scales_axis) continue;
      lo = std::min(lo, p.y);
      hi = std::max(hi, p.y);
    }
  }
  a.x_max = x_max > 0 ? x_max : 1;
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1) hi = lo + 1;
  a.y_unit = c.counts ? ByteUnit{1, "count"} : byte_unit_for(hi);
  const double pad = (hi - lo) * 0.05;
  a.y_step = nice_step((hi - lo + 2 * pad) / 6 / a.y_unit.scale) * a.y_unit.scale;
  a.y_min = std::floor((lo - pad) / a.y_step) * a.y_step;
  a.y_max = std::ceil((hi + pad) / a.y_step) * a.y_step;
  if (a.y_min < 0 && lo >= 0) a.y_min = 0;
  if (a.x_max >= 180) a.x_scale = 60, a.x_unit = "min";
  a.x_step = nice_step(a.x_max / a.x_scale / 10) * a.x_scale;
  a.strip_top = kTop + kPlotHeight + kStripGap;
  for (const auto& b : c.bars) a.strip_max = std::max(a.strip_max, b.ok_per_s + b.failed_per_s);
  return a;
}

std::string polyline_points(const std::vector<Point>& pts, const Axes& a) {
  const std::vector<Point> drawn = downsample_min_max(pts, kMaxPointsPerLine);
  std::string out;
  out.reserve(drawn.size() * 12);
  for (const auto& p : drawn) {
    if (!out.empty()) out += ' ';
    out += num(a.px(p.x)) + "," + num(a.py(p.y));
  }
  return out;
}

void draw_grid(const Axes& a, bool with_strip, std::ostream& out) {
  const double bottom = with_strip ? a.strip_top + kStripHeight : kTop + kPlotHeight;
  out << "<g class=\"grid\" stroke=\"#d0d7de\" stroke-width=\"1\">\n";
  for (double y = a.y_min; y <= a.y_max + a.y_step / 2; y += a.y_step) {
    out << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << num(a.py(y))
        << "\" y2=\"" << num(a.py(y)) << "\"/>\n";
  }
  out << "</g>\n<g class=\"ticks\" font-size=\"12\" fill=\"#57606a\">\n";
  for (double y = a.y_min; y <= a.y_max + a.y_step / 2; y += a.y_step) {
    out << "<text x=\"" << kLeft - 6 << "\" y=\"" << num(a.py(y) + 4) << "\" text-anchor=\"end\">"
        << tick_label(y / a.y_unit.scale, a.y_step / a.y_unit.scale) << "</text>\n";
  }
  for (double x = 0; x <= a.x_max + 1e-9; x += a.x_step) {
    out << "<text x=\"" << num(a.px(x)) << "\" y=\"" << num(bottom + 18)
        << "\" text-anchor=\"middle\">" << tick_label(x / a.x_scale, a.x_step / a.x_scale)
        << "</text>\n";
  }
  out << "<text x=\"" << num(kWidth - kRight) << "\" y=\"" << num(bottom + 36)
      << "\" text-anchor=\"end\">time (" << a.x_unit << ")</text>\n";
  out << "</g>\n";
  out << "<line x1=\"" << kLeft << "\" x2=\"" << kLeft << "\" y1=\"" << kTop << "\" y2=\""
      << num(kTop + kPlotHeight) << "\" stroke=\"#57606a\"/>\n";
  out << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\""
      << num(kTop + kPlotHeight) << "\" y2=\"" << num(kTop + kPlotHeight)
      << "\" stroke=\"#57606a\"/>\n";
}

void draw_markers(const Chart& c, const Axes& a, bool with_strip, std::ostream& out) {
  const double bottom = with_strip ? a.strip_top + kStripHeight : kTop + kPlotHeight;
  double last_label_end = -1e9;
  int row = 0;
  out << "<g class=\"markers\" font-size=\"12\" fill=\"#24292f\">\n";
  for (const auto& m : c.markers) {
    const double x = a.px(m.x);
    out << "<line x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << kTop - 22
        << "\" y2=\"" << num(bottom) << "\" stroke=\"#8c959f\" stroke-dasharray=\"4 3\"/>\n";
    // Two label rows: a label that would overlap the previous one drops a row.
    row = x < last_label_end ? 1 - row : 0;
    const double width_estimate = 7.0 * static_cast<double>(m.label.size()) + 8;
    last_label_end = x + width_estimate;
    out << "<text x=\"" << num(x + 3) << "\" y=\"" << (row == 0 ? kTop - 24 : kTop - 8) << "\">"
        << html_escape(m.label) << "</text>\n";
  }
  out << "</g>\n";
}

void draw_strip(const Chart& c, const Axes& a, std::ostream& out) {
  out << "<g class=\"calls\">\n";
  out << "<text x=\"" << kLeft - 6 << "\" y=\"" << num(a.strip_top + 12)
      << "\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">" << format_number_trimmed(a.strip_max)
      << "</text>\n";
  out << "<text x=\"" << kLeft - 6 << "\" y=\"" << num(a.strip_top + kStripHeight)
      << "\" text-anchor=\"end\" font-size=\"12\" fill=\"#57606a\">calls/s</text>\n";
  out << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\""
      << num(a.strip_top + kStripHeight) << "\" y2=\"" << num(a.strip_top + kStripHeight)
      << "\" stroke=\"#57606a\"/>\n";
  for (const auto& b : c.bars) {
    const double x0 = a.px(b.x0), w = std::max(0.5, a.px(b.x1) - x0 - 0.5);
    const double ok_top = a.pstrip(b.ok_per_s), fail_top = a.pstrip(b.ok_per_s + b.failed_per_s);
    const double base = a.strip_top + kStripHeight;
    if (b.ok_per_s > 0) {
      out << "<rect x=\"" << num(x0) << "\" y=\"" << num(ok_top) << "\" width=\"" << num(w)
          << "\" height=\"" << num(base - ok_top) << "\" fill=\"#2da44e\"/>\n";
    }
    if (b.failed_per_s > 0) {
      out << "<rect x=\"" << num(x0) << "\" y=\"" << num(fail_top) << "\" width=\"" << num(w)
          << "\" height=\"" << num(ok_top - fail_top) << "\" fill=\"#cf222e\"/>\n";
    }
  }
  out << "</g>\n";
}

}  // namespace

void render_svg(const Chart& c, std::ostream& out) {
  const Axes a = make_axes(c);
  const bool strip = !c.bars.empty();
  const double height = (strip ? a.strip_top + kStripHeight : kTop + kPlotHeight) + kBottom;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " << kWidth << " "
      << num(height) << "\" role=\"img\" aria-label=\"" << html_escape(c.y_label)
      << " over time\" font-family=\"system-ui, sans-serif\">\n";
  out << "<defs><clipPath id=\"plot\"><rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\""
      << kWidth - kLeft - kRight << "\" height=\"" << kPlotHeight << "\"/></clipPath></defs>\n";
  draw_grid(a, strip, out);
  out << "<text x=\"14\" y=\"" << num(kTop + kPlotHeight / 2) << "\" font-size=\"12\" fill=\"#57606a\""
      << " transform=\"rotate(-90 14 " << num(kTop + kPlotHeight / 2)
      << ")\" text-anchor=\"middle\">" << html_escape(c.y_label) << " (" << a.y_unit.name
      << ")</text>\n";
  out << "<g clip-path=\"url(#plot)\">\n";
  for (const auto& band : c.bands) {
    std::vector<Point> ring = band.upper;
    ring.insert(ring.end(), band.lower.rbegin(), band.lower.rend());
    out << "<polygon points=\"" << polyline_points(ring, a) << "\" fill=\"" << band.color
        << "\" fill-opacity=\"" << band.opacity << "\"><title>" << html_escape(band.label)
        << "</title></polygon>\n";
  }
  for (const auto& line : c.lines) {
    if (line.points.empty()) continue;
    out << "<polyline fill=\"none\" stroke=\"" << line.color << "\" stroke-width=\"" << line.width
        << "\" stroke-linejoin=\"round\"" << (line.dashed ? " stroke-dasharray=\"6 4\"" : "")
        << " points=\"" << polyline_points(line.points, a) << "\"><title>"
        << html_escape(line.label) << "</title></polyline>\n";
  }
  out << "</g>\n";
  draw_markers(c, a, strip, out);
  if (strip) draw_strip(c, a, out);
  out << "</svg>\n";
}

void render_legend(const Chart& c, std::ostream& out) {
  out << "<ul class=\"legend\">\n";
  for (const auto& band : c.bands) {
    out << "<li><svg width=\"28\" height=\"12\"><rect width=\"28\" height=\"12\" fill=\""
        << band.color << "\" fill-opacity=\"" << band.opacity << "\"/></svg>"
        << html_escape(band.label) << "</li>\n";
  }
  for (const auto& line : c.lines) {
    out << "<li><svg width=\"28\" height=\"12\"><line x1=\"0\" x2=\"28\" y1=\"6\" y2=\"6\" stroke=\""
        << line.color << "\" stroke-width=\"" << std::max(line.width, 2.0) << "\""
        << (line.dashed ? " stroke-dasharray=\"6 4\"" : "") << "/></svg>"
        << html_escape(line.label) << "</li>\n";
  }
  if (!c.bars.empty()) {
    out << "<li><svg width=\"28\" height=\"12\"><rect width=\"13\" height=\"12\" fill=\"#2da44e\"/>"
           "<rect x=\"15\" width=\"13\" height=\"12\" fill=\"#cf222e\"/></svg>calls/s ok, failed</li>\n";
  }
  out << "</ul>\n";
}

}  // namespace mcpleak::reports
