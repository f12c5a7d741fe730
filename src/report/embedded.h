#pragma once
// Files built into the binary at build time (src/report/CMakeLists.txt): plotly.js, taken
// from the npm registry by scripts/setup.sh and inlined into every HTML report so that the
// page works offline, and the published reference table.
#include <string_view>

namespace nnc::report {

/// The minified plotly.js bundle; empty when the build did not find it (then reports carry
/// tables and PNGs and say how to get the interactive charts).
std::string_view plotly_js();
/// "plotly.js-basic-dist-min 4.1.1", or "" when not built in.
std::string_view plotly_version();
/// data/published/cifar10_replay.csv as built in ("" when absent).
std::string_view published_cifar10_csv();

}  // namespace nnc::report
