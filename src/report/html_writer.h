#pragma once
// The report as one self-contained HTML page: plotly.js inlined (no network at view time),
// each chart a plotly figure, each table an HTML table with a link to its CSV.
//
// For tests and scripts, once plotly has drawn a chart its <div class="plot"> gets
// data-traces="N" (traces in the figure) and data-rendered="M" (trace groups drawn in the
// SVG); when every chart is drawn, <body> gets data-plots-done="K".
#include <string>
#include <string_view>

#include "report/report_doc.h"

namespace nnc::report {

struct HtmlOptions {
  std::string_view plotly_js;       ///< inlined as is; empty: charts are replaced by a note
  std::string plotly_version;       ///< shown in the footer
  bool link_images = true;          ///< link each chart's static "<id>.png"
  bool link_csv = true;             ///< link each table's "<name>.csv"
};

std::string render_html(const ReportDoc& doc, const HtmlOptions& options);
/// The plotly figure ({data, layout, config}) of one chart, as JSON text.
std::string plotly_figure_json(const Chart& chart);

}  // namespace nnc::report
