#pragma once
// The straightforward reference: evaluate every gate of the genome for every
// dataset item and score every term; the naive (1+lambda) loop also copies the
// whole genome per child, as the original does. Used by the tests to cross-check
// FastEvaluator and by bench-cgp as the baseline.
#include <cstdint>
#include <vector>

#include "cgp/genome.h"
#include "cgp/problem.h"

namespace nnc::cgp {

/// Error (finished metric) of g; `pin_values` (D x P) receives every pin value if given.
int64_t naive_error(const Problem& p, const Genome& g, std::vector<int8_t>* pin_values = nullptr);

/// Outputs of g per item (O x D, item-major), evaluated gate by gate.
std::vector<int8_t> naive_outputs(const Genome& g, const std::vector<std::vector<int8_t>>& inputs);

/// Phase-1 (1+lambda) loop with full evaluation and a genome copy per child. Children
/// are drawn exactly like evolve()'s (same RNG streams), selection follows the same
/// error rules, so both trajectories match generation by generation.
class NaiveEvolver {
 public:
  NaiveEvolver(const Problem& p, Genome parent, double mutation_max, int lambda, uint64_t seed,
               int threads);
  void run(uint64_t generations);
  const Genome& parent() const { return parent_; }
  int64_t error() const { return error_; }
  uint64_t generation() const { return generation_; }
  uint64_t gate_evals() const { return gate_evals_; }

 private:
  const Problem& p_;
  Genome parent_;
  int64_t error_;
  int max_genes_, lambda_, threads_;
  uint64_t seed_, generation_ = 0, gate_evals_ = 0;
  std::vector<Genome> children_;
  std::vector<int64_t> errors_;
  std::vector<std::vector<int8_t>> scratch_;
};

}  // namespace nnc::cgp
