#include "report/html_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

namespace nnc::report {
namespace {

using nlohmann::json;

/// Text safe inside a <script> element: no "</" can close it early.
std::string script_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

const char* kStyle = R"(
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 1280px; padding: 0 24px 48px; color: #222; }
h1 { font-size: 1.6em; margin: 24px 0 4px; }
h2 { font-size: 1.3em; margin-top: 40px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 24px 0 6px; }
p.meta, p.note, figcaption, footer { color: #666; font-size: 0.9em; }
nav a { margin-right: 14px; }
figure { margin: 16px 0; }
div.plot { width: 100%; min-height: 460px; }
div.noplot { padding: 24px; background: #fff6e0; border: 1px solid #f0d48a; }
table.data { border-collapse: collapse; font-size: 0.85em; margin: 6px 0; }
table.data th, table.data td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
table.data th { background: #f4f4f4; }
table.data tr:nth-child(even) td { background: #fafafa; }
div.tablewrap { max-height: 480px; overflow: auto; }
ul.notes { color: #8a5a00; font-size: 0.9em; }
)";

const char* kRenderScript = R"(
(function () {
  var figures = JSON.parse(document.getElementById('nnc-figures').textContent);
  var ids = Object.keys(figures);
  if (typeof Plotly === 'undefined') {
    document.body.setAttribute('data-plots-done', 'unavailable');
    return;
  }
  var done = 0;
  ids.forEach(function (id) {
    var f = figures[id];
    Plotly.newPlot(id, f.data, f.layout, f.config).then(function (gd) {
      gd.setAttribute('data-traces', String(gd.data.length));
      gd.setAttribute('data-rendered', String(gd.querySelectorAll('g.trace.scatter').length));
      done += 1;
      if (done === ids.length) document.body.setAttribute('data-plots-done', String(done));
    });
  });
  if (ids.length === 0) document.body.setAttribute('data-plots-done', '0');
})();
)";

}  // namespace

std::string plotly_figure_json(const Chart& chart) {
  const size_t n = std::max<size_t>(1, chart.facets.size());
  const double gap = n > 1 ? 0.04 : 0.0;
  const double width = (1.0 - gap * static_cast<double>(n - 1)) / static_cast<double>(n);
  json data = json::array();
  json layout = {
      {"title", {{"text", chart.title}, {"x", 0.01}, {"xanchor", "left"}}},
      {"height", 470},
      {"margin", {{"t", 70}, {"b", 60}, {"l", 60}, {"r", 20}}},
      {"paper_bgcolor", "white"},
      {"plot_bgcolor", "white"},
      {"hovermode", "closest"},
      {"legend", {{"title", {{"text", ""}}}}},
  };
  json annotations = json::array();
  std::set<std::string> shown;
  for (size_t i = 0; i < chart.facets.size(); ++i) {
    const auto& facet = chart.facets[i];
    std::string suffix = i == 0 ? "" : std::to_string(i + 1);
    double lo = static_cast<double>(i) * (width + gap), hi = lo + width;
    json xaxis = {{"domain", {lo, hi}},
                  {"anchor", "y" + suffix},
                  {"title", {{"text", chart.x_label}}},
                  {"showline", true},
                  {"linecolor", "#444"},
                  {"gridcolor", "#e6e6e6"},
                  {"zeroline", false},
                  {"ticks", "outside"}};
    if (chart.log_x) xaxis["type"] = "log";
    if (!chart.x_ticks.empty()) {
      json vals = json::array(), texts = json::array();
      for (auto& [at, label] : chart.x_ticks) vals.push_back(at), texts.push_back(label);
      xaxis["tickvals"] = vals;
      xaxis["ticktext"] = texts;
      xaxis["range"] = {vals.front().get<double>() - 0.5, vals.back().get<double>() + 0.5};
    }
    json yaxis = {{"anchor", "x" + suffix},
                  {"showline", true},
                  {"linecolor", "#444"},
                  {"gridcolor", "#e6e6e6"},
                  {"zeroline", false},
                  {"ticks", "outside"}};
    if (chart.log_y) yaxis["type"] = "log";
    if (chart.y_max > chart.y_min) yaxis["range"] = {chart.y_min, chart.y_max};
    if (i == 0) yaxis["title"] = {{"text", chart.y_label}};
    else {
      yaxis["matches"] = "y";
      yaxis["showticklabels"] = false;
    }
    layout["xaxis" + suffix] = xaxis;
    layout["yaxis" + suffix] = yaxis;
    if (!facet.title.empty())
      annotations.push_back({{"text", facet.title},
                             {"x", (lo + hi) / 2},
                             {"y", 1.0},
                             {"xref", "paper"},
                             {"yref", "paper"},
                             {"xanchor", "center"},
                             {"yanchor", "bottom"},
                             {"showarrow", false},
                             {"font", {{"size", 13}}}});
    for (const auto& s : facet.series) {
      bool has_text = false;
      for (auto& t : s.text) has_text = has_text || !t.empty();
      bool has_hover = false;
      for (auto& h : s.hover) has_hover = has_hover || !h.empty();
      std::string color = chart.color_of(s);
      std::string mode;
      json marker = {{"color", color}, {"size", 7}};
      json line = {{"color", color}, {"width", 2}};
      static const char* kDash[] = {"solid", "dash", "dot", "dashdot", "longdash", "longdashdot"};
      if (s.dash > 0) line["dash"] = kDash[s.dash % 6];
      switch (s.style) {
        case SeriesStyle::kLines: mode = "lines+markers"; break;
        case SeriesStyle::kMarkers: mode = "markers"; break;
        case SeriesStyle::kReference:
          mode = "markers";
          marker = {{"color", color}, {"size", 11}, {"symbol", "x-thin-open"}, {"line", {{"width", 2.5}, {"color", color}}}};
          break;
        case SeriesStyle::kFront: mode = "lines+markers"; line["width"] = 3; marker["size"] = 9; break;
      }
      if (has_text) mode += "+text";
      json trace = {{"type", "scatter"},
                    {"mode", mode},
                    {"name", s.name},
                    {"legendgroup", s.group},
                    {"showlegend", shown.insert(s.group).second},
                    {"x", s.x},
                    {"y", s.y},
                    {"xaxis", "x" + suffix},
                    {"yaxis", "y" + suffix},
                    {"marker", marker},
                    {"line", line},
                    {"cliponaxis", false}};
      if (s.style == SeriesStyle::kReference) trace["legendrank"] = 2000;  // after the runs
      if (has_text) {
        trace["text"] = s.text;
        trace["textposition"] = s.style == SeriesStyle::kReference ? "middle right" : "top center";
        trace["textfont"] = {{"size", 10}, {"color", color}};
      }
      if (has_hover) {
        trace["hovertext"] = s.hover;
        trace["hoverinfo"] = "text";
      } else {
        trace["hoverinfo"] = "x+y+name";
      }
      data.push_back(std::move(trace));
    }
  }
  if (!annotations.empty()) layout["annotations"] = annotations;
  json config = {{"displaylogo", false},
                 {"responsive", true},
                 {"toImageButtonOptions", {{"format", "svg"}, {"filename", chart.id}}}};
  return json{{"data", data}, {"layout", layout}, {"config", config}}.dump();
}

std::string render_html(const ReportDoc& doc, const HtmlOptions& options) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n", html_escape(doc.title), kStyle);
  if (!options.plotly_js.empty())
    out += "<script>\n" + script_safe(options.plotly_js) + "\n</script>\n";
  out += "</head>\n<body>\n";
  out += fmt::format("<h1>{}</h1>\n<p class=\"meta\">results: {} &middot; generated {}</p>\n",
                     html_escape(doc.title), html_escape(doc.source), html_escape(doc.generated_at));
  if (options.plotly_js.empty())
    out += "<div class=\"noplot\">Interactive charts are not available: this nncompress was "
           "built without plotly.js (run scripts/setup.sh, which installs it from the npm "
           "registry, then rebuild). The static PNG of each chart is linked below it.</div>\n";
  if (!doc.notes.empty()) {
    out += "<ul class=\"notes\">\n";
    for (auto& n : doc.notes) out += "<li>" + html_escape(n) + "</li>\n";
    out += "</ul>\n";
  }
  out += "<nav>";
  for (auto& s : doc.sections)
    out += fmt::format("<a href=\"#{}\">{}</a>", html_escape(s.id), html_escape(s.title));
  out += "</nav>\n";

  json figures = json::object();
  for (auto& s : doc.sections) {
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", html_escape(s.id), html_escape(s.title));
    if (!s.intro.empty()) out += "<p>" + html_escape(s.intro) + "</p>\n";
    for (auto& c : s.charts) {
      out += "<figure>\n";
      if (options.plotly_js.empty())
        out += fmt::format("<div class=\"noplot\" id=\"{}\">{} (no plotly.js in this build)</div>\n",
                           html_escape(c.id), html_escape(c.title));
      else
        out += fmt::format("<div class=\"plot\" id=\"{}\" data-expected-traces=\"{}\"></div>\n",
                           html_escape(c.id), c.trace_count());
      std::string caption = html_escape(c.note);
      if (options.link_images)
        caption += fmt::format("{}<a href=\"{}.png\">static PNG</a>", caption.empty() ? "" : " &middot; ",
                               html_escape(c.id));
      if (!caption.empty()) out += "<figcaption>" + caption + "</figcaption>\n";
      out += "</figure>\n";
      figures[c.id] = json::parse(plotly_figure_json(c));
    }
    for (auto& t : s.tables) {
      out += "<h3>" + html_escape(t.title) + "</h3>\n<div class=\"tablewrap\">\n" + t.to_html() + "</div>\n";
      std::string caption = html_escape(t.note);
      if (options.link_csv)
        caption += fmt::format("{}<a href=\"{}.csv\">{}.csv</a>", caption.empty() ? "" : " &middot; ",
                               html_escape(t.name), html_escape(t.name));
      if (!caption.empty()) out += "<p class=\"note\">" + caption + "</p>\n";
    }
    if (!s.notes.empty()) {
      out += "<ul class=\"notes\">\n";
      for (auto& n : s.notes) out += "<li>" + html_escape(n) + "</li>\n";
      out += "</ul>\n";
    }
    out += "</section>\n";
  }
  out += "<footer><p>nncompress report";
  if (!options.plotly_version.empty())
    out += " &middot; charts by " + html_escape(options.plotly_version) + " (MIT), inlined";
  out += "</p></footer>\n";
  out += "<script type=\"application/json\" id=\"nnc-figures\">" + script_safe(figures.dump()) +
         "</script>\n";
  if (!options.plotly_js.empty()) out += std::string("<script>") + kRenderScript + "</script>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace nnc::report
