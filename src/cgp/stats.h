#pragma once
// Run statistics: one row per strict improvement and per phase end, written as the
// original's CSV (run,generation,timestamp,error,quantized_energy,energy,area,
// quantized_delay,delay,depth,gate_count,chromosome). Gate statistics count the
// active gates per function.
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/genome.h"

namespace nnc::cgp {

struct StatsRow {
  int run = 0;
  uint64_t generation = 0;
  double timestamp = 0;  ///< seconds since the run started
  int64_t error = 0;
  Costs costs;
  std::string chromosome;  ///< empty unless error <= the logging threshold
};

inline constexpr const char* kStatsHeader =
    "run,generation,timestamp,error,quantized_energy,energy,area,quantized_delay,delay,depth,"
    "gate_count,chromosome";

void write_stats_csv(std::ostream& os, const std::vector<StatsRow>& rows, bool header = true);
void write_stats_csv(const std::string& path, const std::vector<StatsRow>& rows);
/// Reads what write_stats_csv wrote (the header must match); errors name the file and line.
std::vector<StatsRow> read_stats_csv(const std::string& path);

/// Active gates per function id (ID included) of `active` (size G) in g.
std::map<int, int> gate_statistics(const Genome& g, const std::vector<uint8_t>& active);
std::string format_gate_statistics(const std::map<int, int>& stats);

}  // namespace nnc::cgp
