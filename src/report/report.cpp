#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/export.h"
#include "experiment/results_store.h"
#include "report/cgp_given_weights_view.h"
#include "report/cgp_sensitivity_view.h"
#include "report/cgp_view.h"
#include "report/embedded.h"
#include "report/gnuplot_writer.h"
#include "report/html_writer.h"
#include "report/prune_view.h"
#include "report/replay_view.h"
#include "report/search_view.h"
#include "report/study_group.h"
#include "report/summary_view.h"

namespace nnc::report {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) { write_file(path.string(), text); }

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  NNC_CHECK(f, "cannot read '{}'", path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

void ReportOptions::validate() const {
  NNC_CHECK(!results_dir.empty(), "report: give the results directory (the --out of the runs)");
  auto db = fs::path(results_dir) / "results.db";
  NNC_CHECK(fs::exists(db), "report: no results database at '{}': pass the directory given as "
            "--out to the runs (it holds results.db)", db.string());
  NNC_CHECK(out_html.empty() || fs::path(out_html).extension() == ".html",
            "report: --out '{}' should name an .html file", out_html);
}

ReportDoc build_report(const std::vector<experiment::RunRecord>& runs,
                       const std::vector<PublishedPoint>& published_cifar10, const std::string& source) {
  ReportDoc doc;
  doc.source = source;
  doc.generated_at = experiment::now_iso8601();
  doc.sections.push_back(overview_section(runs));
  for (auto& s : replay_sections(runs, published_cifar10)) doc.sections.push_back(std::move(s));
  for (auto* make : {&prune_sections, &search_sections, &study_group_sections, &cgp_sections,
                     &cgp_sensitivity_sections, &cgp_given_weights_sections,
                     &train_sections})
    for (auto& s : make(runs)) doc.sections.push_back(std::move(s));
  if (runs.empty()) doc.notes.push_back("the results database holds no run yet");
  return doc;
}

ReportFiles write_report(const ReportOptions& options) {
  options.validate();
  ReportFiles files;
  fs::path html = options.out_html.empty() ? fs::path(options.results_dir) / "report" / "report.html"
                                           : fs::path(options.out_html);
  fs::path dir = html.parent_path().empty() ? fs::path(".") : html.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  NNC_CHECK(!ec, "cannot create the report folder '{}': {}", dir.string(), ec.message());
  files.html = html.string();
  files.folder = dir.string();

  experiment::ResultsStore store(options.results_dir, experiment::ResultsStore::Open::ExistingOnly);
  auto runs = store.list();
  files.runs = runs.size();
  auto published = options.published_csv.empty()
                       ? builtin_published_cifar10()
                       : parse_published_csv(read_text(options.published_csv), options.published_csv);
  auto doc = build_report(runs, published, fs::absolute(options.results_dir).lexically_normal().string());
  files.charts = doc.chart_count();

  // Exports: every run as JSON, each kind's runs as CSV (every config key and metric).
  write_text(dir / "runs.json", experiment::runs_to_json(runs));
  files.exports.push_back((dir / "runs.json").string());
  std::vector<std::string> kinds;
  for (auto& r : runs)
    if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) kinds.push_back(r.kind);
  for (auto& k : kinds) {
    std::vector<experiment::RunRecord> of_kind;
    for (auto& r : runs)
      if (r.kind == k) of_kind.push_back(r);
    auto path = dir / (kind_csv_name(k) + ".csv");
    write_text(path, experiment::runs_to_csv(of_kind));
    files.exports.push_back(path.string());
  }

  for (auto& s : doc.sections)
    for (auto& t : s.tables) {
      auto path = dir / (t.name + ".csv");
      write_text(path, t.to_csv());
      files.tables.push_back(path.string());
    }

  // Static images.
  auto gnuplot = options.images ? find_gnuplot() : std::nullopt;
  std::string terminal = gnuplot ? png_terminal(*gnuplot) : "pngcairo";
  std::vector<std::string> failed;
  for (auto& s : doc.sections)
    for (auto& c : s.charts) {
      auto g = write_gnuplot_files(c, dir.string(), terminal);
      files.scripts.push_back((dir / g.script).string());
      if (!gnuplot) continue;
      std::string error;
      if (run_gnuplot(*gnuplot, dir.string(), g.script, &error)) files.images.push_back((dir / g.image).string());
      else failed.push_back(error);
    }
  if (files.charts && !options.images)
    files.notes.push_back(fmt::format("PNGs not rendered (--no-images): cd {} && for f in *.gp; do gnuplot \"$f\"; done",
                                      dir.string()));
  else if (files.charts && !gnuplot)
    files.notes.push_back(fmt::format(
        "gnuplot not found, PNGs not rendered: install it (apt-get install gnuplot-nox, or set "
        "NNC_GNUPLOT) and run: cd {} && for f in *.gp; do gnuplot \"$f\"; done", dir.string()));
  for (auto& e : failed) files.notes.push_back(e);

  HtmlOptions ho;
  ho.plotly_js = plotly_js();
  ho.plotly_version = std::string(plotly_version());
  ho.link_images = options.images && gnuplot.has_value();
  if (ho.plotly_js.empty())
    files.notes.push_back("this build has no plotly.js: the HTML has tables and links to the PNGs but "
                          "no interactive charts (run scripts/setup.sh and rebuild)");
  write_text(html, render_html(doc, ho));
  return files;
}

}  // namespace nnc::report
