// A small, dependency-free SVG line chart for report.html: lines over a shared time
// axis, shaded bands, labelled vertical markers and a strip of stacked bars underneath.
// Knows nothing about Reports; html_chart_data.cpp turns a run into a Chart.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "reports/downsample.h"

namespace mcpleak::reports {

// Every line is drawn with at most this many points (downsample_min_max).
inline constexpr std::size_t kMaxPointsPerLine = 2000;

struct ChartLine {
  std::string label;          // legend and tooltip; escaped when drawn
  std::vector<Point> points;  // x seconds, y bytes, in x order
  std::string color;          // CSS colour of ours, e.g. "#1f6feb"
  double width = 1.5;
  bool dashed = false;
  bool scales_axis = true;    // false: drawn but does not widen the y range (fit lines)
};

// A filled area between two lines (e.g. the 95% band of the slope); never widens the axis.
struct ChartBand {
  std::string label;
  std::vector<Point> upper;
  std::vector<Point> lower;
  std::string color;
  double opacity = 0.15;
};

struct ChartMarker {
  double x = 0;               // seconds
  std::string label;          // e.g. a phase name
};

// One bar of the lower strip: calls per second between x0 and x1, failed stacked on ok.
struct ChartBar {
  double x0 = 0;
  double x1 = 0;
  double ok_per_s = 0;
  double failed_per_s = 0;
};

struct Chart {
  std::string y_label = "memory";
  bool counts = false;        // y is a count (fds, threads), not bytes
  double x_end_s = 0;         // right edge of the time axis; 0 means "from the data"
  std::vector<ChartLine> lines;
  std::vector<ChartBand> bands;
  std::vector<ChartMarker> markers;
  std::vector<ChartBar> bars; // empty: no strip
};

// Writes one <svg> element (viewBox-scaled, no scripts, no external references).
// Points are placed with one decimal; y ticks use binary byte units (units.h).
void render_svg(const Chart& chart, std::ostream& out);

// Writes the legend as an HTML <ul> with small inline-SVG swatches.
void render_legend(const Chart& chart, std::ostream& out);

}  // namespace mcpleak::reports
