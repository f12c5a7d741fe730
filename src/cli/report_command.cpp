#include "cli/report_command.h"

#include <fmt/format.h>

#include <memory>

#include "report/report.h"

namespace nnc::cli {

ReportCommand add_report_command(CLI::App& root) {
  auto opts = std::make_shared<report::ReportOptions>();
  auto no_images = std::make_shared<bool>(false);
  auto* app = root.add_subcommand(
      "report", "Write an HTML report (interactive charts, works offline), PNG charts and CSV tables");
  app->add_option("dir", opts->results_dir, "results directory (the --out of the runs)")->required();
  app->add_option("--out", opts->out_html, "HTML file to write (default: DIR/report/report.html); "
                  "images and CSVs go beside it");
  app->add_option("--published", opts->published_csv,
                  "CSV of published reference points (method,budget_bytes,accuracy,source) "
                  "replacing the built-in CIFAR-10 table");
  app->add_flag("--no-images", *no_images, "do not run gnuplot (its scripts are written anyway)");
  return {app, [opts, no_images]() -> int {
            opts->images = !*no_images;
            auto f = report::write_report(*opts);
            fmt::print("report of {} runs ({} charts)\n", f.runs, f.charts);
            fmt::print("html:    {}\n", f.html);
            fmt::print("images:  {} PNG{} in {}\n", f.images.size(), f.images.size() == 1 ? "" : "s", f.folder);
            for (auto& i : f.images) fmt::print("  {}\n", i);
            fmt::print("tables:  {} CSV{}\n", f.tables.size(), f.tables.size() == 1 ? "" : "s");
            for (auto& t : f.tables) fmt::print("  {}\n", t);
            fmt::print("exports:\n");
            for (auto& e : f.exports) fmt::print("  {}\n", e);
            for (auto& n : f.notes) fmt::print(stderr, "note: {}\n", n);
            return 0;
          }};
}

}  // namespace nnc::cli
