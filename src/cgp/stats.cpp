#include "cgp/stats.h"

#include <ostream>
#include <sstream>

#include "cgp/functions.h"
#include "core/error.h"
#include "core/file_io.h"

namespace nnc::cgp {

void write_stats_csv(std::ostream& os, const std::vector<StatsRow>& rows, bool header) {
  if (header) os << kStatsHeader << '\n';
  for (const StatsRow& r : rows) {
    os << fmt::format("{},{},{:.6f},{},{},{},{},{},{},{},{},", r.run, r.generation, r.timestamp,
                      r.error, r.costs.q_energy, r.costs.energy, r.costs.area, r.costs.q_delay,
                      r.costs.delay, r.costs.depth, r.costs.gate_count);
    // The chromosome contains commas: quote it (it never contains quotes).
    if (!r.chromosome.empty()) os << '"' << r.chromosome << '"';
    os << '\n';
  }
}

void write_stats_csv(const std::string& path, const std::vector<StatsRow>& rows) {
  std::ostringstream csv;
  write_stats_csv(csv, rows);
  write_file(path, csv.str());
}

std::map<int, int> gate_statistics(const Genome& g, const std::vector<uint8_t>& active) {
  std::map<int, int> m;
  for (int i = 0; i < g.shape().gates(); ++i)
    if (i < int(active.size()) && active[i]) ++m[g.fn(i)];
  return m;
}

std::string format_gate_statistics(const std::map<int, int>& stats) {
  std::string s;
  for (auto& [f, n] : stats) s += fmt::format("{}{} ({}): {}", s.empty() ? "" : ", ", f, function_name(f), n);
  return s;
}

}  // namespace nnc::cgp
