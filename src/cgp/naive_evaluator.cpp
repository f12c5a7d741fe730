#include "cgp/naive_evaluator.h"

#include <omp.h>

#include "cgp/functions.h"

namespace nnc::cgp {

namespace {

int64_t evaluate_into(const Problem& p, const Genome& g, std::vector<int8_t>& vals) {
  const Shape& s = p.shape();
  const int I = s.inputs, G = s.gates(), P = s.pins(), D = s.dataset_size;
  vals.resize(size_t(D) * P);
  for (int d = 0; d < D; ++d) {
    int8_t* v = vals.data() + size_t(d) * P;
    for (int k = 0; k < I; ++k) v[k] = p.input(d, k);
    for (int i = 0; i < G; ++i) v[I + i] = apply_function(g.fn(i), v[g.in(i, 0)], v[g.in(i, 1)]);
  }
  int64_t raw = 0;
  for (const Term& t : p.terms()) {
    const int pin = t.gene >= 0 ? g.genes()[t.gene] : t.pin;
    raw += p.contribution(t, vals[size_t(t.item) * P + pin]);
  }
  return p.finish(raw);
}

}  // namespace

int64_t naive_error(const Problem& p, const Genome& g, std::vector<int8_t>* pin_values) {
  std::vector<int8_t> local;
  return evaluate_into(p, g, pin_values ? *pin_values : local);
}

std::vector<int8_t> naive_outputs(const Genome& g, const std::vector<std::vector<int8_t>>& inputs) {
  const Shape& s = g.shape();
  const int I = s.inputs, G = s.gates(), O = s.outputs;
  std::vector<int8_t> out, v(size_t(s.pins()));
  for (size_t d = 0; d < inputs.size(); ++d) {
    for (int k = 0; k < I; ++k) v[k] = k < int(inputs[d].size()) ? inputs[d][k] : 0;
    for (int i = 0; i < G; ++i) v[I + i] = apply_function(g.fn(i), v[g.in(i, 0)], v[g.in(i, 1)]);
    const int sel = s.dataset_size > 1 ? int(d) : 0;
    for (int j = 0; j < O; ++j) out.push_back(v[g.out(sel * O + j)]);
  }
  return out;
}

NaiveEvolver::NaiveEvolver(const Problem& p, Genome parent, double mutation_max, int lambda,
                           uint64_t seed, int threads)
    : p_(p), parent_(std::move(parent)), max_genes_(p.max_mutations(mutation_max)),
      lambda_(lambda), threads_(threads < 1 ? omp_get_max_threads() : threads), seed_(seed) {
  error_ = naive_error(p_, parent_);
  children_.resize(size_t(lambda_));
  errors_.resize(size_t(lambda_));
  scratch_.resize(size_t(lambda_));
}

void NaiveEvolver::run(uint64_t generations) {
  const auto& mut = p_.mutable_genes();
  const uint64_t G = uint64_t(p_.shape().gates());
  for (uint64_t n = 0; n < generations; ++n) {
    ++generation_;
#pragma omp parallel for num_threads(threads_) schedule(static) if (threads_ > 1)
    for (int i = 0; i < lambda_; ++i) {
      Rng rng = child_rng(seed_, generation_, i);
      Genome& c = children_[size_t(i)];
      c = parent_;  // full copy, as the original
      const uint32_t count = rng.below(uint32_t(max_genes_) + 1);
      for (uint32_t k = 0; k < count; ++k) {
        const size_t idx = size_t(mut[rng.below(uint32_t(mut.size()))]);
        c.genes()[idx] = p_.draw_gene(idx, rng);
      }
      errors_[size_t(i)] = evaluate_into(p_, c, scratch_[size_t(i)]);
    }
    gate_evals_ += G * uint64_t(lambda_);
    int winner = -1;
    bool strict = false;
    int64_t best = error_;
    for (int i = 0; i < lambda_; ++i) {
      if (errors_[size_t(i)] < best) {
        best = errors_[size_t(i)];
        winner = i;
        strict = true;
      } else if (!strict && errors_[size_t(i)] == best) {
        winner = i;
      }
    }
    if (winner >= 0) {
      std::swap(parent_, children_[size_t(winner)]);
      error_ = best;
    }
  }
}

}  // namespace nnc::cgp
