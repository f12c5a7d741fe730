#include "cgp/stats.h"

#include <cstdlib>
#include <fstream>
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

namespace {

StatsRow parse_stats_row(const std::string& line, const std::string& where) {
  // Eleven numeric fields, then the chromosome (quoted: it holds commas) or nothing.
  std::vector<std::string> f;
  size_t start = 0;
  for (int i = 0; i < 11; ++i) {
    const size_t comma = line.find(',', start);
    NNC_CHECK(comma != std::string::npos, "{}: expected 12 fields ({})", where, kStatsHeader);
    f.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  std::string chromosome = line.substr(start);
  if (chromosome.size() >= 2 && chromosome.front() == '"' && chromosome.back() == '"')
    chromosome = chromosome.substr(1, chromosome.size() - 2);
  auto num = [&](int i) {
    char* end = nullptr;
    const double v = std::strtod(f[size_t(i)].c_str(), &end);
    NNC_CHECK(end && *end == '\0' && !f[size_t(i)].empty(), "{}: field {} '{}' is not a number",
              where, i + 1, f[size_t(i)]);
    return v;
  };
  StatsRow r;
  r.run = int(num(0));
  r.generation = uint64_t(num(1));
  r.timestamp = num(2);
  r.error = int64_t(num(3));
  r.costs.q_energy = int64_t(num(4));
  r.costs.energy = num(5);
  r.costs.area = num(6);
  r.costs.q_delay = int64_t(num(7));
  r.costs.delay = num(8);
  r.costs.depth = num(9);
  r.costs.gate_count = num(10);
  r.chromosome = std::move(chromosome);
  return r;
}

}  // namespace

std::vector<StatsRow> read_stats_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in.good(), "cannot open statistics file '{}'", path);
  std::string line;
  NNC_CHECK(std::getline(in, line) && line == kStatsHeader,
            "{}: not a CGP statistics file (expected the header '{}')", path, kStatsHeader);
  std::vector<StatsRow> rows;
  for (int n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) rows.push_back(parse_stats_row(line, fmt::format("{}:{}", path, n)));
  }
  return rows;
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
