#pragma once
// Static images of the charts with gnuplot (Debian's gnuplot-nox): for each chart a script
// `<id>.gp` and its data `<id>.dat` (one block per facet and series), rendered to `<id>.png`
// with the pngcairo terminal (png where cairo is missing). Without gnuplot the script and
// data are still written, and the caller tells the user how to render them.
#include <optional>
#include <string>

#include "report/chart.h"

namespace nnc::report {

struct GnuplotFiles {
  std::string script, data, image;  ///< file names, relative to the output folder
};

/// The gnuplot script text for `chart`, reading `data_file` and writing `image_file`.
std::string gnuplot_script(const Chart& chart, const std::string& data_file,
                           const std::string& image_file, const std::string& terminal);
/// The data file text: per facet and series one block ("x y \"label\"" lines), blocks
/// separated by two blank lines (gnuplot's `index`), in script order.
std::string gnuplot_data(const Chart& chart);

/// Writes `<dir>/<id>.gp` and `<dir>/<id>.dat`.
GnuplotFiles write_gnuplot_files(const Chart& chart, const std::string& dir, const std::string& terminal);

/// The gnuplot program: $NNC_GNUPLOT, else `gnuplot` on PATH; nullopt if there is none.
std::optional<std::string> find_gnuplot();
/// "pngcairo" when the program has it, else "png".
std::string png_terminal(const std::string& gnuplot);
/// Runs `gnuplot <script>` in `dir`; false (and the error text in *error) on failure.
bool run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::string& script,
                 std::string* error);

}  // namespace nnc::report
