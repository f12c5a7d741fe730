#pragma once
// `nncompress report`: every run of a results directory as one self-contained HTML page
// (interactive plotly.js charts, inlined), a static PNG per chart (gnuplot), every table as
// CSV, and the runs as JSON and CSV.
//
// What each kind must record for its charts is documented where the chart is built (and
// collected in src/report/README.md):
//   replay          replay_view.h   accuracy vs memory (MiB and slots), Pareto view
//   prune           prune_view.h    test accuracy vs nonzeros, runs.csv of the original
//   any, trial_*    search_view.h   trials and Pareto front of a study
//   cgp             cgp_view.h      error and energy over generations
//   train, overview summary_view.h  tables
// Kinds with no completed run get no section.
//
// Example:
//   ReportOptions o;  o.results_dir = "results";
//   ReportFiles f = write_report(o);   // results/report/report.html, *.png, *.csv, runs.json
#include <string>
#include <vector>

#include "experiment/run_record.h"
#include "report/published.h"
#include "report/report_doc.h"

namespace nnc::report {

struct ReportOptions {
  std::string results_dir;    ///< holds results.db
  std::string out_html;       ///< default: <results_dir>/report/report.html; assets beside it
  bool images = true;         ///< render PNGs with gnuplot (the .gp/.dat are written anyway)
  std::string published_csv;  ///< replaces the built-in CIFAR-10 published table

  void validate() const;
};

struct ReportFiles {
  std::string html;
  std::string folder;                   ///< where the HTML and every asset are
  std::vector<std::string> images;      ///< PNGs rendered
  std::vector<std::string> scripts;     ///< gnuplot scripts (also when not rendered)
  std::vector<std::string> tables;      ///< CSV of each table
  std::vector<std::string> exports;     ///< runs.json and <kind>_all_runs.csv
  std::vector<std::string> notes;       ///< what was skipped and how to finish it
  size_t runs = 0, charts = 0;
};

/// The report as data (no files touched).
ReportDoc build_report(const std::vector<experiment::RunRecord>& runs,
                       const std::vector<PublishedPoint>& published_cifar10,
                       const std::string& source);

/// Reads <results_dir>/results.db and writes every file of the report.
ReportFiles write_report(const ReportOptions& options);

}  // namespace nnc::report
