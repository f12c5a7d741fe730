#include "cgp/problem.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::cgp {

Metric parse_metric(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (n == "SE") return Metric::SE;
  if (n == "MSE") return Metric::MSE;
  if (n == "AE") return Metric::AE;
  fail("unknown cgp error metric '{}': expected one of SE, MSE, AE", name);
}

std::string_view metric_name(Metric m) {
  switch (m) {
    case Metric::SE: return "SE";
    case Metric::MSE: return "MSE";
    case Metric::AE: return "AE";
  }
  return "?";
}

Rng child_rng(uint64_t seed, uint64_t generation, int child) {
  return Rng(splitmix64(splitmix64(seed ^ 0x6367702d63686c64ULL) ^
                        splitmix64(generation * 0x10001ULL + uint64_t(child))));
}

Problem::Problem(const Dataset& data, const Shape& grid, Metric metric, bool multiplex,
                 bool outputs_read_inputs)
    : data_(data), metric_(metric), multiplex_(multiplex) {
  data_.validate();
  shape_ = grid;
  shape_.inputs = data_.inputs;
  shape_.outputs = data_.outputs;
  shape_.dataset_size = data_.size();
  shape_.arity = 2;
  shape_.validate();
  const int I = shape_.inputs, G = shape_.gates(), D = shape_.dataset_size, O = shape_.outputs;
  out_lo_ = outputs_read_inputs ? 0 : I;
  inputs_.reserve(size_t(D) * I);
  for (int d = 0; d < D; ++d) inputs_.insert(inputs_.end(), data_.in[d].begin(), data_.in[d].end());
  for (int d = 0; d < D; ++d) scored_ += data_.scored[d];
  NNC_CHECK(scored_ > 0, "cgp problem: no scored outputs (every item's scored prefix is empty)");

  const size_t N = shape_.gene_count();
  locked_.assign(N, 0);
  locked_value_.assign(N, 0);
  out_term_.assign(size_t(shape_.output_genes()), -1);
  if (!multiplex_) {
    for (int d = 0; d < D; ++d)
      for (int j = 0; j < data_.scored[d]; ++j) {
        out_term_[size_t(d) * O + j] = int32_t(terms_.size());
        terms_.push_back(Term{int32_t(shape_.gate_genes() + size_t(d) * O + j), -1, d,
                              data_.out[d][j], 1});
      }
  } else {
    NNC_CHECK(G >= 256,
              "cgp multiplexing needs at least 256 gates for the value table, the grid has {} "
              "({} rows x {} cols)", G, shape_.rows, shape_.cols);
    for (int d = 0; d < D; ++d) {
      std::array<int64_t, 256> count{};
      for (int j = 0; j < data_.scored[d]; ++j) ++count[data_.out[d][j] + 128];
      for (int k = 0; k < 256; ++k)
        if (count[k] > 0) terms_.push_back(Term{-1, table_pin(k - 128), d, int8_t(k - 128), count[k]});
    }
    for (size_t i = shape_.gate_genes(); i < N; ++i) locked_[i] = 1;  // outputs: rewired at the end
    for (int k = 0; k < 256; ++k) {
      const int g = G - 256 + k;
      const size_t base = size_t(g) * 3;
      locked_[base + 1] = 1;
      locked_value_[base + 1] = shape_.source_pin(g / shape_.rows, 0);
      locked_[base + 2] = 1;
      locked_value_[base + 2] = kFnId;
      for (int in = 0; in < I; ++in) {
        bool all = true;
        for (int d = 0; d < D && all; ++d) all = input(d, in) == k - 128;
        if (all) {
          locked_[base] = 1;
          locked_value_[base] = in;
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < N; ++i)
    if (!locked_[i]) mutable_.push_back(int32_t(i));
  all_mutable_ = mutable_.size() == N;
  NNC_CHECK(N < (size_t(1) << 31), "cgp problem: too many genes ({})", N);
  gate_genes32_ = uint32_t(shape_.gate_genes());
  out_choices_ = uint32_t(shape_.pins() - out_lo_);
  rows_div_ = shape_.rows > 1 ? ~uint64_t(0) / uint64_t(shape_.rows) + 1 : 0;
  for (int col = 0; col < shape_.cols; ++col) {
    src_count_.push_back(uint32_t(shape_.source_count(col)));
    src_shift_.push_back(shape_.source_pin(col, I) - I);  // choice k >= I -> pin k + shift
  }
  NNC_CHECK(!mutable_.empty(), "cgp problem: every gene is locked, nothing to evolve");
}

int Problem::max_mutations(double mutation_max) const {
  return int(std::ceil(double(mutable_.size()) * mutation_max));
}

int32_t Problem::draw_gene(size_t idx, Rng& rng) const {
  if (is_output_gene(shape_, idx))
    return int32_t(out_lo_ + rng.below(uint32_t(shape_.pins() - out_lo_)));
  const int g = gene_gate(idx);
  if (gene_slot(idx) == 2) {
    const uint32_t f = rng.below(kEvolvableFunctions + 1);
    return f == kEvolvableFunctions ? kFnId : int32_t(f);
  }
  const int col = g / shape_.rows;
  return shape_.source_pin(col, int(rng.below(uint32_t(shape_.source_count(col)))));
}

Genome Problem::random_genome(Rng& rng) const {
  Genome g(shape_);
  auto& genes = g.genes();
  for (size_t i = 0; i < genes.size(); ++i) {
    if (locked_[i]) {
      genes[i] = locked_value_[i];
    } else if (!is_output_gene(shape_, i) && gene_slot(i) == 2) {
      genes[i] = int32_t(rng.below(kEvolvableFunctions));  // no ID in the initial genome
    } else {
      genes[i] = draw_gene(i, rng);
    }
  }
  if (multiplex_) g = finalize(g);
  return g;
}

void Problem::apply_locks(Genome& g) const {
  NNC_CHECK(g.shape() == shape_,
            "cgp: starting genome has shape {{{},{},{},{},{},{},{}}}, the problem needs "
            "{{{},{},{},{},{},{},{}}}", g.shape().inputs, g.shape().outputs, g.shape().cols,
            g.shape().rows, g.shape().arity, g.shape().lookback, g.shape().dataset_size,
            shape_.inputs, shape_.outputs, shape_.cols, shape_.rows, shape_.arity,
            shape_.lookback, shape_.dataset_size);
  g.validate();
  for (size_t i = 0; i < g.genes().size(); ++i)
    if (locked_[i] && !is_output_gene(shape_, i)) g.genes()[i] = locked_value_[i];
  for (int k = 0; k < shape_.output_genes(); ++k)
    if (g.out(k) < out_lo_) g.set_out(k, out_lo_);
}

Genome Problem::finalize(const Genome& g) const {
  if (!multiplex_) return g;
  Genome r = g;
  const int O = shape_.outputs;
  for (int d = 0; d < shape_.dataset_size; ++d)
    for (int j = 0; j < O; ++j) r.set_out(d * O + j, table_pin(data_.out[d][j]));
  return r;
}

}  // namespace nnc::cgp
