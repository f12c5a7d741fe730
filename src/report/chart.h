#pragma once
// Chart: what one figure of a report shows, independent of how it is drawn. The HTML
// writer turns it into a plotly.js figure, the gnuplot writer into a static PNG; both read
// only this, so the two always show the same points.
//
// A chart has one or more facets (side-by-side panels sharing the y axis, like plotly
// express's facet_col); each facet holds series (one legend entry per `group`, the same
// colour in every facet).
//
// Example:
//   Chart c("replay-cifar10-mib", "Accuracy vs memory");
//   c.x_label = "Total storage [MiB]";  c.log_x = true;
//   auto& f = c.facets.emplace_back(Facet{"CutR18(3)", {}});
//   f.series.push_back(Series("Thinning").point(1.2, 0.41, "0.9"));
#include <string>
#include <utility>
#include <vector>

namespace nnc::report {

enum class SeriesStyle {
  kLines,      ///< markers joined by a line, text next to each marker
  kMarkers,    ///< markers only
  kReference,  ///< published/reference points: black crosses, labelled, never joined
  kFront,      ///< a Pareto front: a thick step-free line over its markers
};

struct Series {
  explicit Series(std::string name_) : name(std::move(name_)), group(name) {}
  Series& point(double px, double py, std::string label = "", std::string hover_text = "") {
    x.push_back(px);
    y.push_back(py);
    text.push_back(std::move(label));
    hover.push_back(std::move(hover_text));
    return *this;
  }
  /// Reorders the points by x (stable), so a line reads left to right.
  Series& sort_by_x();

  std::string name;                 ///< legend label
  std::string group;                ///< legend group: one legend entry and one colour per group
  std::string color;                ///< "#rrggbb"; empty = by group order (plotly's palette)
  SeriesStyle style = SeriesStyle::kLines;
  int dash = 0;                     ///< line pattern: 0 solid, 1 dashed, 2 dotted, ... (cycles)
  std::vector<double> x, y;
  std::vector<std::string> text;    ///< annotation drawn next to each point ("" = none)
  std::vector<std::string> hover;   ///< extra hover lines per point (HTML only)
};

struct Facet {
  std::string title;  ///< panel title ("" for a single-panel chart)
  std::vector<Series> series;
};

struct Chart {
  Chart() = default;
  Chart(std::string id_, std::string title_) : id(std::move(id_)), title(std::move(title_)) {}

  std::string id;      ///< HTML element id and file stem: [a-z0-9-] only
  std::string title;
  std::string x_label, y_label;
  bool log_x = false, log_y = false;
  /// y range [lo, hi] when both are set (e.g. accuracy 0..1); otherwise automatic.
  double y_min = 0, y_max = 0;
  /// Labelled x ticks {position, label} (a strip plot's categories at 0, 1, ...), the x range
  /// then spans them +-0.5; empty = numeric ticks, automatic range.
  std::vector<std::pair<double, std::string>> x_ticks;
  std::vector<Facet> facets;
  std::string note;    ///< one line under the chart (what was left out and why)

  /// Number of plotly traces the chart draws (= series over all facets).
  size_t trace_count() const;
  /// Legend groups in first-seen order (their index picks the colour).
  std::vector<std::string> groups() const;
  /// The colour of a series: its own, else the palette entry of its group.
  std::string color_of(const Series& s) const;
  bool empty() const;
};

/// plotly's default qualitative palette (the colours the seed notebooks list).
const std::vector<std::string>& palette();

/// "Replay: CIFAR-10" -> "replay-cifar-10": lower case, [a-z0-9-] only.
std::string slug(const std::string& text);

}  // namespace nnc::report
