#include "cgp/saved_circuits.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "cgp/stats.h"
#include "core/error.h"

namespace nnc::cgp {

CircuitOrder parse_circuit_order(const std::string& s) {
  if (s == "error") return CircuitOrder::Error;
  if (s == "energy") return CircuitOrder::Energy;
  fail("cgp: order circuits by 'error' or 'energy', got '{}'", s);
}

SavedCircuit load_genome_circuit(const std::string& path) {
  SavedCircuit c;
  c.genome = Genome::load(path);
  c.source = path;
  return c;
}

std::vector<SavedCircuit> top_circuits(const std::string& stats_path, int k, CircuitOrder by) {
  NNC_CHECK(k >= 1, "cgp: top-k needs k >= 1, got {}", k);
  const auto rows = read_stats_csv(stats_path);
  std::vector<size_t> order;
  for (size_t i = 0; i < rows.size(); ++i)
    if (!rows[i].chromosome.empty()) order.push_back(i);
  NNC_CHECK(!order.empty(), "{}: no row holds a chromosome (a run logs one at error <= threshold "
            "and on its final row; files of older versions may have none): use a genome file", stats_path);
  auto key = [&](size_t i) {
    const auto& r = rows[i];
    return by == CircuitOrder::Error ? std::make_tuple(double(r.error), r.costs.energy, i)
                                     : std::make_tuple(r.costs.energy, double(r.error), i);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<SavedCircuit> out;
  std::set<std::string> seen;
  for (size_t i : order) {
    if (int(out.size()) == k) break;
    if (!seen.insert(rows[i].chromosome).second) continue;
    SavedCircuit c;
    c.source = stats_path + ":" + std::to_string(i + 2);
    c.genome = Genome::parse(rows[i].chromosome, c.source);
    c.logged_error = rows[i].error;
    c.logged_energy = rows[i].costs.energy;
    c.generation = rows[i].generation;
    out.push_back(std::move(c));
  }
  return out;
}

void check_fits(const SavedCircuit& c, const Dataset& data) {
  const Shape& s = c.genome.shape();
  NNC_CHECK(s.inputs == data.inputs && s.outputs == data.outputs && s.dataset_size == data.size(),
            "cgp: the circuit of {} maps {} inputs -> {} outputs x {} item(s), but the selected "
            "layers pose {} -> {} x {}: it was evolved for other layers or another experiment",
            c.source, s.inputs, s.outputs, s.dataset_size, data.inputs, data.outputs, data.size());
}

void check_grid(const SavedCircuit& c, int rows, int cols) {
  const Shape& s = c.genome.shape();
  NNC_CHECK((rows <= 0 || s.rows == rows) && (cols <= 0 || s.cols == cols),
            "cgp: the circuit of {} is a {} x {} grid, --rows/--cols ask for {} x {}: it comes "
            "from a run of another grid size", c.source, s.rows, s.cols, rows > 0 ? rows : s.rows,
            cols > 0 ? cols : s.cols);
}

}  // namespace nnc::cgp
