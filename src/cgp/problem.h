#pragma once
// A CGP problem: dataset + grid shape + error metric, compiled into "terms" (one
// scored target each) that both evaluators score, plus the mutation space.
//
// Normal mode: one term per scored output gene (item d, output j) -> target.
// Multiplexing: the last 256 gates are locked to ID and form a value table (gate
// G-256+k stands for value k-128), each wired to a primary input holding that value
// in every item when one exists (then its input is locked too). One term per (item,
// value) with count = how many scored outputs of that item want the value:
// error = sum count * metric(table(v) - v). Output genes are not evolved; finalize()
// rewires every output to its table entry. With several items (layers sharing one
// grid) the table is shared and each item reads it with its own inputs; the MUX per
// output that picks the layer is counted in the costs (D > 1).
#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "cgp/functions.h"
#include "cgp/genome.h"

namespace nnc::cgp {

enum class Metric { SE, MSE, AE };
Metric parse_metric(std::string_view name);  ///< "SE", "MSE", "AE" (case-insensitive)
std::string_view metric_name(Metric m);

/// Small fast RNG (splitmix64 stream); uniform draws by multiply-shift.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n), n >= 1.
  uint32_t below(uint32_t n) { return uint32_t(((next() >> 32) * uint64_t(n)) >> 32); }

 private:
  uint64_t s_;
};

/// Per-child RNG: depends only on (seed, generation, child index), never on threads.
Rng child_rng(uint64_t seed, uint64_t generation, int child);

struct Term {
  int32_t gene;    ///< output gene giving the pin, or -1 (fixed pin: multiplexing table)
  int32_t pin;     ///< fixed pin when gene < 0
  int32_t item;    ///< dataset item
  int8_t target;
  int64_t weight;  ///< 1, or the value count under multiplexing
};

class Problem {
 public:
  /// `grid` gives rows, cols and look-back; inputs, outputs and dataset_size come from `data`.
  Problem(const Dataset& data, const Shape& grid, Metric metric, bool multiplex,
          bool outputs_read_inputs);

  const Shape& shape() const { return shape_; }
  Metric metric() const { return metric_; }
  bool multiplex() const { return multiplex_; }
  const Dataset& data() const { return data_; }
  int8_t input(int item, int k) const { return inputs_[size_t(item) * shape_.inputs + k]; }
  const std::vector<Term>& terms() const { return terms_; }
  /// Term index of output gene k (normal mode), -1 if unscored or multiplexing.
  int32_t output_term(int k) const { return out_term_[k]; }
  int64_t scored_outputs() const { return scored_; }

  int64_t contribution(const Term& t, int8_t value) const {
    const int64_t d = int64_t(value) - int64_t(t.target);
    return t.weight * (metric_ == Metric::AE ? (d < 0 ? -d : d) : d * d);
  }
  /// Raw sum of contributions -> the metric (MSE = floor(SE / scored outputs)).
  int64_t finish(int64_t raw) const {
    return metric_ == Metric::MSE ? raw / (scored_ > 0 ? scored_ : 1) : raw;
  }
  /// Pin of the value table entry for v (multiplexing only).
  int table_pin(int v) const { return shape_.pins() - 256 + (v + 128); }

  const std::vector<int32_t>& mutable_genes() const { return mutable_; }
  bool locked(size_t gene) const { return locked_[gene]; }
  /// Genes changed per mutation: uniform in [0, max_mutations(mutation_max)].
  int max_mutations(double mutation_max) const;
  /// A fresh random value for gene idx (look-back for inputs, 0..26 + ID for functions).
  int32_t draw_gene(size_t idx, Rng& rng) const;
  /// The pos-th mutable gene (pos < mutable_genes().size()).
  int32_t mutable_gene(uint32_t pos) const {
    return all_mutable_ ? int32_t(pos) : mutable_[pos];
  }
  /// Same value and RNG consumption (one below() call) as draw_gene, without divisions
  /// or per-gene tables (the hot path of mutation).
  int32_t draw_gene_fast(uint32_t idx, Rng& rng) const {
    if (idx >= gate_genes32_) return out_lo_ + int32_t(rng.below(out_choices_));
    const uint32_t g = idx / 3;
    if (idx - 3 * g == 2) {
      const uint32_t f = rng.below(kEvolvableFunctions + 1);
      return f == kEvolvableFunctions ? kFnId : int32_t(f);
    }
    const uint32_t col = rows_div_ ? uint32_t((unsigned __int128)rows_div_ * g >> 64) : g;
    const int32_t k = int32_t(rng.below(src_count_[col]));
    return k < shape_.inputs ? k : k + src_shift_[col];
  }
  /// Random initial genome (no ID gates except the locked table), locks applied.
  Genome random_genome(Rng& rng) const;
  /// Forces the locked genes (multiplexing table) onto g; checks the shape.
  void apply_locks(Genome& g) const;
  /// The genome to report: under multiplexing, outputs rewired to their table entries.
  Genome finalize(const Genome& g) const;

 private:
  Dataset data_;
  Shape shape_;
  Metric metric_;
  bool multiplex_;
  int out_lo_;
  std::vector<int8_t> inputs_;
  std::vector<Term> terms_;
  std::vector<int32_t> out_term_;
  int64_t scored_ = 0;
  std::vector<uint8_t> locked_;
  std::vector<int32_t> locked_value_;
  std::vector<int32_t> mutable_;
  bool all_mutable_ = false;
  uint32_t gate_genes32_ = 0, out_choices_ = 0;
  uint64_t rows_div_ = 0;  ///< ceil(2^64 / rows): g / rows = (rows_div_ * g) >> 64 (0: rows 1)
  std::vector<uint32_t> src_count_;  ///< per column: source_count
  std::vector<int32_t> src_shift_;   ///< per column: pin of choice k >= inputs is k + shift
};

/// Scratch for phenotype tracing (one per thread/child slot).
struct TraceScratch {
  std::vector<uint32_t> mark;
  uint32_t stamp = 0;
  std::vector<int32_t> stack;
  struct Arrival {
    double delay;
    int64_t q_delay;
    int32_t depth;
  };
  std::vector<Arrival> arrival;  ///< per gate (one record: one cache miss per input read)
};

/// Arrival record of a gate with function f reading pins a, b (the inputs f uses; primary
/// inputs arrive at 0) from the arrival records of the gates before it.
inline TraceScratch::Arrival gate_arrival(const CostTable& table, int f, int a, int b, int inputs,
                                          const TraceScratch::Arrival* arrival) {
  double arr = 0;
  int64_t qarr = 0;
  int dep = 0;
  const int ar = function_arity(f);
  for (int k = 0; k < ar; ++k) {
    const int pin = k == 0 ? a : b;
    if (pin < inputs) continue;
    const TraceScratch::Arrival& in = arrival[pin - inputs];
    arr = std::max(arr, in.delay);
    qarr = std::max(qarr, in.q_delay);
    dep = std::max(dep, in.depth);
  }
  if (f == kFnId) return {arr, qarr, dep};
  const FunctionCost& fc = table[f];
  return {arr + fc.delay, qarr + fc.q_delay, dep + 1};
}

/// Active gates per function id 0..28 (ID costs nothing and is not a gate: not counted).
using FunctionCounts = std::array<int32_t, 29>;

/// Adds the energy, area and gate count of the gates in `counts`, summed in function order:
/// any way of counting the same active set gives bit-identical figures (the parent's
/// incremental costs in FastEvaluator and a full trace agree exactly).
inline void add_function_costs(Costs& c, const CostTable& table, const FunctionCounts& counts) {
  for (int f = 0; f < int(counts.size()); ++f) {
    if (counts[size_t(f)] == 0) continue;
    const FunctionCost& fc = table[f];
    const int32_t n = counts[size_t(f)];
    c.q_energy += fc.q_energy * n;
    c.energy += fc.energy * n;
    c.area += fc.area * n;
    c.gate_count += n;
  }
}

/// Delay, quantized delay and depth of the scored terms from the gates' arrival records
/// (max over the terms), plus one MUX per output when several layers share the grid.
template <class GeneFn, class ArrivalFn>
void add_term_delays(Costs& c, const Problem& p, const CostTable& table, GeneFn&& gene,
                     ArrivalFn&& arrival_of_gate) {
  const int I = p.shape().inputs;
  for (const Term& t : p.terms()) {
    const int pin = t.gene >= 0 ? gene(size_t(t.gene)) : t.pin;
    if (pin < I) continue;
    const auto& a = arrival_of_gate(pin - I);
    c.delay = std::max(c.delay, a.delay);
    c.q_delay = std::max(c.q_delay, a.q_delay);
    c.depth = std::max(c.depth, a.depth);
  }
  if (p.shape().dataset_size > 1) {  // one MUX per output picks the layer
    const FunctionCost& m = table[kFnMux];
    const int O = p.shape().outputs;
    c.q_energy += m.q_energy * O;
    c.energy += m.energy * O;
    c.area += m.area * O;
    c.q_delay += m.q_delay;
    c.delay += m.delay;
    c.depth += 1;
    c.gate_count += O;
  }
}

/// Costs of the gates flagged by is_active(g) (the active set, closed under the inputs
/// each function uses): energy, area and gate count from the counts per function, delay =
/// longest path to a scored term. `s` provides the arrival scratch.
template <class GeneFn, class ActiveFn>
Costs phenotype_costs(const Problem& p, const CostTable& table, GeneFn&& gene,
                      ActiveFn&& is_active, TraceScratch& s) {
  const Shape& sh = p.shape();
  const int G = sh.gates(), I = sh.inputs;
  if (s.arrival.size() != size_t(G)) s.arrival.assign(G, TraceScratch::Arrival{0, 0, 0});
  TraceScratch::Arrival* arrival = s.arrival.data();
  Costs c;
  FunctionCounts counts{};
  for (int g = 0; g < G; ++g) {
    if (!is_active(g)) continue;
    const int f = gene(size_t(g) * 3 + 2);
    arrival[g] = gate_arrival(table, f, gene(size_t(g) * 3), gene(size_t(g) * 3 + 1), I, arrival);
    if (f != kFnId) ++counts[size_t(f)];
  }
  add_function_costs(c, table, counts);
  add_term_delays(c, p, table, gene, [arrival](int g) -> const TraceScratch::Arrival& { return arrival[g]; });
  return c;
}

/// Active gates (cone of the scored terms, following only the inputs each function
/// uses) and their costs. `gene(idx)` reads a gene; `active` (size G) is filled if given.
/// With costs == false only `active` is filled (the returned Costs are zero).
template <class GeneFn>
Costs trace_phenotype(const Problem& p, const CostTable& table, GeneFn&& gene,
                      TraceScratch& s, std::vector<uint8_t>* active = nullptr,
                      bool with_costs = true) {
  const Shape& sh = p.shape();
  const int G = sh.gates(), I = sh.inputs;
  if (s.mark.size() != size_t(G)) {
    s.mark.assign(G, 0);
    s.stamp = 0;
  }
  if (++s.stamp == 0) {
    std::fill(s.mark.begin(), s.mark.end(), 0);
    s.stamp = 1;
  }
  const uint32_t st = s.stamp;
  s.stack.clear();
  auto visit = [&](int pin) {
    if (pin >= I && s.mark[pin - I] != st) {
      s.mark[pin - I] = st;
      s.stack.push_back(pin - I);
    }
  };
  for (const Term& t : p.terms()) visit(t.gene >= 0 ? gene(size_t(t.gene)) : t.pin);
  while (!s.stack.empty()) {
    const int g = s.stack.back();
    s.stack.pop_back();
    const int ar = function_arity(gene(size_t(g) * 3 + 2));
    for (int k = 0; k < ar; ++k) visit(gene(size_t(g) * 3 + k));
  }
  if (active) {
    active->resize(size_t(G));
    for (int g = 0; g < G; ++g) (*active)[g] = s.mark[g] == st;
  }
  if (!with_costs) return Costs{};
  return phenotype_costs(p, table, gene, [&](int g) { return s.mark[g] == st; }, s);
}

}  // namespace nnc::cgp
