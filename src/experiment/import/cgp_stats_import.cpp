// The CGP engine's statistics CSV (run,generation,timestamp,error,quantized_energy,energy,
// area,quantized_delay,delay,depth,gate_count,chromosome): one row per strict improvement and
// phase end, so a run's result is its last row. One cgp run per `run` number. The file states
// no options: the runs record none (not the defaults), only where they came from.
#include <fstream>
#include <iterator>
#include <map>

#include "core/csv.h"
#include "core/error.h"
#include "experiment/import/importer.h"

namespace nnc::experiment::import_detail {

std::vector<RunRecord> read_cgp_stats_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in.good(), "import: cannot read '{}'", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  const auto header = next_csv_record(text, pos, path + ":1");
  std::map<int, std::vector<std::string>> last_row;  // run -> its last row
  for (int row = 2; pos < text.size(); ++row) {
    const auto cells = next_csv_record(text, pos, path + ":" + std::to_string(row));
    if (cells.size() == 1 && cells[0].empty()) continue;
    NNC_CHECK(cells.size() == header.size(), "import: {}:{}: {} fields, expected {} as in the header", path,
              row, cells.size(), header.size());
    last_row[std::atoi(cells[0].c_str())] = cells;
  }
  std::vector<RunRecord> out;
  for (auto& [run, cells] : last_row) {
    Draft d{"cgp", path, "run " + std::to_string(run), {}, {}};
    for (size_t c = 1; c + 1 < header.size(); ++c) {  // all but run and chromosome
      const std::string metric = header[c] == "generation" ? "generations"
                                 : header[c] == "timestamp" ? "cgp_seconds"
                                                            : header[c];
      d.record.metrics[metric] = std::strtod(cells[c].c_str(), nullptr);
    }
    if (!cells.back().empty()) d.record.tags["chromosome"] = cells.back();
    d.record.status = RunStatus::Completed;
    out.push_back(finish(std::move(d)));
  }
  return out;
}

}  // namespace nnc::experiment::import_detail
