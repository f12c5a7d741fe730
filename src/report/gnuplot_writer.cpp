#include "report/gnuplot_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "report/table.h"

namespace nnc::report {
namespace {

namespace fs = std::filesystem;

/// A double-quoted gnuplot string.
std::string gp_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') c = ' ';
    out += c;
  }
  return out + "\"";
}

/// A label inside the data file: gnuplot reads "..." as one column; no escapes there.
std::string data_label(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? '\'' : (c == '\n' ? ' ' : c);
  return out + "\"";
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool plottable(const Chart& c, const Series& s, size_t i) {
  return std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!c.log_x || s.x[i] > 0) &&
         (!c.log_y || s.y[i] > 0);
}

/// `set xtics ("conv1" 0, ...)` and a range of the ticks +-0.5 (the HTML axis does the same).
std::string category_ticks(const std::vector<std::pair<double, std::string>>& ticks) {
  std::string list;
  for (auto& [at, label] : ticks) list += fmt::format("{}{} {}", list.empty() ? "" : ", ", gp_string(label), at);
  return fmt::format("set xtics ({}) rotate by -30\nset xrange [{:.6g}:{:.6g}]\n", list,
                     ticks.front().first - 0.5, ticks.back().first + 0.5);
}

bool has_points(const Chart& c, const Series& s) {
  for (size_t i = 0; i < s.x.size(); ++i)
    if (plottable(c, s, i)) return true;
  return false;
}

}  // namespace

std::string gnuplot_data(const Chart& chart) {
  std::string out = fmt::format("# {}: x y label, one block per facet and series\n", chart.title);
  for (auto& f : chart.facets)
    for (auto& s : f.series) {
      if (!has_points(chart, s)) continue;
      out += fmt::format("# facet {} series {}\n", data_label(f.title), data_label(s.name));
      for (size_t i = 0; i < s.x.size(); ++i)
        if (plottable(chart, s, i))
          out += fmt::format("{} {} {}\n", s.x[i], s.y[i], data_label(s.text[i]));
      out += "\n\n";
    }
  return out;
}

std::string gnuplot_script(const Chart& chart, const std::string& data_file,
                           const std::string& image_file, const std::string& terminal) {
  const size_t n = std::max<size_t>(1, chart.facets.size());
  std::string g;
  g += fmt::format("# {} (written by nncompress report; render with: gnuplot {}.gp)\n", chart.title, chart.id);
  g += fmt::format("set terminal {} size {},{} font \"sans,10\"\n", terminal,
                   std::max<size_t>(760, 470 * n + 140), 540);
  g += fmt::format("set output {}\n", gp_string(image_file));
  g += "set termoption noenhanced\nset grid lc rgb \"#e0e0e0\"\nset border lc rgb \"#444444\"\n";
  g += "set key outside below center horizontal font \",9\" samplen 3 maxrows 3 width 2\n";
  g += "set bmargin 8\nset xlabel offset 0,0.3\n";
  if (chart.log_x) g += "set logscale x\nset format x \"%g\"\n";
  // Room around the points so the labels next to them are not cut at the border.
  double lo = 0, hi = 0;
  bool any = false;
  for (auto& f : chart.facets)
    for (auto& s : f.series)
      for (size_t i = 0; i < s.x.size(); ++i)
        if (plottable(chart, s, i)) {
          lo = any ? std::min(lo, s.x[i]) : s.x[i];
          hi = any ? std::max(hi, s.x[i]) : s.x[i];
          any = true;
        }
  if (!chart.x_ticks.empty()) g += category_ticks(chart.x_ticks);
  else if (any && chart.log_x) g += fmt::format("set xrange [{:.6g}:{:.6g}]\n", lo / 1.6, hi * 1.6);
  else if (any && hi > lo) g += fmt::format("set xrange [{:.6g}:{:.6g}]\n", lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo));
  if (chart.log_y) g += "set logscale y\n";
  if (chart.y_max > chart.y_min) g += fmt::format("set yrange [{:.4g}:{:.4g}]\n", chart.y_min, chart.y_max);
  g += fmt::format("set xlabel {}\n", gp_string(chart.x_label));
  g += fmt::format("set multiplot layout 1,{} title {} font \",13\"\n", n, gp_string(chart.title));
  size_t block = 0;
  for (size_t fi = 0; fi < chart.facets.size(); ++fi) {
    const auto& f = chart.facets[fi];
    g += fmt::format("set title {}\n", gp_string(f.title));
    g += fmt::format("set ylabel {}\n", gp_string(fi == 0 ? chart.y_label : ""));
    std::vector<std::string> parts;
    for (auto& s : f.series) {
      if (!has_points(chart, s)) continue;
      std::string color = chart.color_of(s);
      std::string style;
      switch (s.style) {
        case SeriesStyle::kLines: style = "with linespoints lw 1.5 pt 7 ps 0.8"; break;
        case SeriesStyle::kMarkers: style = "with points pt 7 ps 0.7"; break;
        case SeriesStyle::kReference: style = "with points pt 2 ps 1.6 lw 2"; break;
        case SeriesStyle::kFront: style = "with linespoints lw 3 pt 7 ps 1.0"; break;
      }
      parts.push_back(fmt::format("{} index {} using 1:2 {} dt {} lc rgb {} title {}",
                                  parts.empty() ? gp_string(data_file) : "''", block, style,
                                  s.dash % 5 + 1, gp_string(color), gp_string(s.name)));
      bool has_text = false;
      for (auto& t : s.text) has_text = has_text || !t.empty();
      if (has_text)
        parts.push_back(fmt::format("'' index {} using 1:2:3 with labels {} font \",7\" tc rgb {} notitle",
                                    block,
                                    s.style == SeriesStyle::kReference ? "left offset 1,0" : "offset 0,0.8",
                                    gp_string(color)));
      ++block;
    }
    if (parts.empty()) {
      g += "unset key\nset label 1 \"no data\" at graph 0.5,0.5 center\nplot [1:10] [0:1] NaN notitle\n"
           "unset label 1\nset key\n";
      continue;
    }
    g += "plot ";
    for (size_t i = 0; i < parts.size(); ++i) g += (i ? ", \\\n     " : "") + parts[i];
    g += "\n";
  }
  g += "unset multiplot\n";
  return g;
}

GnuplotFiles write_gnuplot_files(const Chart& chart, const std::string& dir, const std::string& terminal) {
  GnuplotFiles files{chart.id + ".gp", chart.id + ".dat", chart.id + ".png"};
  auto write = [&](const std::string& name, const std::string& text) {
    write_file((fs::path(dir) / name).string(), text);
  };
  write(files.data, gnuplot_data(chart));
  write(files.script, gnuplot_script(chart, files.data, files.image, terminal));
  return files;
}

std::optional<std::string> find_gnuplot() {
  if (const char* env = std::getenv("NNC_GNUPLOT"); env && *env) {
    if (access(env, X_OK) == 0) return std::string(env);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  for (std::string d; std::getline(ss, d, ':');) {
    auto p = fs::path(d.empty() ? "." : d) / "gnuplot";
    if (access(p.c_str(), X_OK) == 0) return p.string();
  }
  return std::nullopt;
}

std::string png_terminal(const std::string& gnuplot) {
  std::string cmd = shell_quote(gnuplot) + " -e 'set terminal pngcairo' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0 ? "pngcairo" : "png";
}

bool run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::string& script,
                 std::string* error) {
  std::string log = script + ".log";
  std::string cmd = fmt::format("cd {} && {} {} >{} 2>&1", shell_quote(dir), shell_quote(gnuplot),
                                shell_quote(script), shell_quote(log));
  int rc = std::system(cmd.c_str());
  auto log_path = fs::path(dir) / log;
  if (rc == 0) {
    std::error_code ec;
    fs::remove(log_path, ec);
    return true;
  }
  if (error) {
    std::ifstream f(log_path);
    std::stringstream text;
    text << f.rdbuf();
    *error = fmt::format("gnuplot {} failed (exit {}): {}", script, rc, text.str().substr(0, 600));
  }
  return false;
}

}  // namespace nnc::report
