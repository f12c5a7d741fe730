#include "cgp/evaluator.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "cgp/functions.h"
#include "core/error.h"

namespace nnc::cgp {

FastEvaluator::FastEvaluator(const Problem& problem, const CostTable& table, Genome parent)
    : problem_(problem), table_(table), genome_(std::move(parent)) {
  const Shape& s = problem_.shape();
  NNC_CHECK(genome_.shape() == s, "FastEvaluator: genome shape does not match the problem");
  I_ = s.inputs;
  G_ = s.gates();
  P_ = s.pins();
  D_ = s.dataset_size;
  gate_genes_ = s.gate_genes();
  full_evaluate();
  init_refs();
}

void FastEvaluator::full_evaluate() {
  vals_.assign(size_t(D_) * P_, 0);
  const size_t D = size_t(D_);
  for (int d = 0; d < D_; ++d) {
    int8_t* v = vals_.data() + d;
    for (int k = 0; k < I_; ++k) v[size_t(k) * D] = problem_.input(d, k);
    for (int g = 0; g < G_; ++g)
      v[size_t(I_ + g) * D] = apply_function(genome_.fn(g), v[size_t(genome_.in(g, 0)) * D],
                                             v[size_t(genome_.in(g, 1)) * D]);
  }
  const auto& terms = problem_.terms();
  abs_metric_ = problem_.metric() == Metric::AE;
  tinfo_.clear();
  raw_error_ = 0;
  for (const Term& t : terms) {
    NNC_CHECK(t.weight >= 0 && t.weight <= INT32_MAX, "cgp: term weight {} out of range", t.weight);
    TermInfo ti{0, t.gene >= 0 ? t.gene : ~t.pin, t.item, int32_t(t.weight), t.target};
    ti.contrib = contribution(ti, vals_[size_t(term_pin(ti)) * D + t.item]);
    NNC_CHECK(ti.contrib == problem_.contribution(t, vals_[size_t(term_pin(ti)) * D + t.item]),
              "cgp: packed term disagrees with the problem");
    raw_error_ += ti.contrib;
    tinfo_.push_back(ti);
  }
  ++version_;
}

// --- Active fan-out lists and reference counts. ---

void FastEvaluator::link_ref(int32_t pin, int32_t ref) {
  PinHead& h = head_[size_t(pin)];
  if (ref >= 0) {
    slot_next_[ref] = h.slot;
    slot_prev_[ref] = -1;
    if (h.slot >= 0) slot_prev_[h.slot] = ref;
    h.slot = ref;
  } else {
    const int32_t t = ~ref;
    term_next_[t] = h.term;
    term_prev_[t] = -1;
    if (h.term >= 0) term_prev_[h.term] = t;
    h.term = t;
  }
}

void FastEvaluator::unlink_ref(int32_t pin, int32_t ref) {
  auto unlink = [](int32_t& head, std::vector<int32_t>& next, std::vector<int32_t>& prev,
                   int32_t x) {
    if (prev[x] >= 0) {
      next[prev[x]] = next[x];
    } else {
      head = next[x];
    }
    if (next[x] >= 0) prev[next[x]] = prev[x];
  };
  if (ref >= 0) {
    unlink(head_[size_t(pin)].slot, slot_next_, slot_prev_, ref);
  } else {
    unlink(head_[size_t(pin)].term, term_next_, term_prev_, ~ref);
  }
}

void FastEvaluator::init_refs() {
  const auto& terms = problem_.terms();
  head_.assign(size_t(P_), PinHead{});
  slot_next_.assign(size_t(G_) * 2, -1);
  slot_prev_.assign(size_t(G_) * 2, -1);
  term_next_.assign(terms.size(), -1);
  term_prev_.assign(terms.size(), -1);
  refs_.assign(size_t(P_), 0);
  active_.assign(size_t(G_), 0);
  counted_fn_.assign(size_t(G_), -1);
  arrival_.assign(size_t(G_), TraceScratch::Arrival{0, 0, 0});
  touched_bits_.assign(size_t(G_ + 63) / 64, 0);
  cost_dirty_.assign(size_t(G_ + 63) / 64, 0);
  touched_.clear();
  cost_full_ = true;
  for (size_t t = 0; t < terms.size(); ++t) {
    const int pin = terms[t].gene >= 0 ? genome_.genes()[terms[t].gene] : terms[t].pin;
    link_ref(pin, ~int32_t(t));
    ++refs_[pin];
  }
  // Consumers have higher indices: one backward pass settles every gate.
  for (int g = G_ - 1; g >= 0; --g) {
    if (refs_[size_t(I_ + g)] == 0) continue;
    active_[g] = 1;
    const int ar = function_arity(genome_.fn(g));
    for (int k = 0; k < ar; ++k) {
      const int32_t pin = genome_.in(g, k);
      link_ref(pin, 2 * g + k);
      ++refs_[pin];
    }
  }
  costs_valid_ = false;
  full_valid_ = false;
}

void FastEvaluator::add_ref(int32_t pin, int32_t ref) {
  link_ref(pin, ref);
  if (++refs_[pin] != 1 || pin < I_) return;
  // The gate becomes active: its used inputs gain a reference (cascade).
  cascade_.clear();
  cascade_.push_back(pin - I_);
  while (!cascade_.empty()) {
    const int g = cascade_.back();
    cascade_.pop_back();
    active_[g] = 1;
    touch(g);
    const int ar = function_arity(genome_.fn(g));
    for (int k = 0; k < ar; ++k) {
      const int32_t p = genome_.in(g, k);
      link_ref(p, 2 * g + k);
      if (++refs_[p] == 1 && p >= I_) cascade_.push_back(p - I_);
    }
  }
}

void FastEvaluator::del_ref(int32_t pin, int32_t ref) {
  (void)ref;  // already unlinked
  if (--refs_[pin] != 0 || pin < I_) return;
  // The gate becomes inactive: its used inputs lose a reference (cascade).
  cascade_.clear();
  cascade_.push_back(pin - I_);
  while (!cascade_.empty()) {
    const int g = cascade_.back();
    cascade_.pop_back();
    active_[g] = 0;
    touch(g);
    const int ar = function_arity(genome_.fn(g));
    for (int k = 0; k < ar; ++k) {
      const int32_t p = genome_.in(g, k);
      unlink_ref(p, 2 * g + k);
      if (--refs_[p] == 0 && p >= I_) cascade_.push_back(p - I_);
    }
  }
}

// --- Parent queries. ---

const Costs& FastEvaluator::costs() const {
  if (costs_valid_) return costs_;
  const int32_t* genes = genome_.genes().data();
  TraceScratch::Arrival* arr = arrival_.data();
  auto count = [&](int g, int f) {
    counted_fn_[size_t(g)] = int8_t(f);
    if (f != kFnId) ++fn_count_[size_t(f)];
  };
  if (cost_full_) {
    fn_count_.fill(0);
    std::fill(counted_fn_.begin(), counted_fn_.end(), int8_t(-1));
    for (int g = 0; g < G_; ++g) {
      if (!active_[size_t(g)]) continue;
      const int32_t* gg = genes + size_t(g) * 3;
      arr[g] = gate_arrival(table_, gg[2], gg[0], gg[1], I_, arr);
      count(g, gg[2]);
    }
    cost_full_ = false;
  } else {
    // Re-count the touched gates; the active ones are the seeds of the arrival update.
    uint64_t* dirty = cost_dirty_.data();
    size_t lo = cost_dirty_.size();
    for (int32_t g : touched_) {
      touched_bits_[size_t(g) >> 6] = 0;
      const int old = counted_fn_[size_t(g)];
      if (old >= 0) {
        if (old != kFnId) --fn_count_[size_t(old)];
        counted_fn_[size_t(g)] = -1;
      }
      if (!active_[size_t(g)]) continue;
      count(g, genes[size_t(g) * 3 + 2]);
      dirty[size_t(g) >> 6] |= uint64_t(1) << (g & 63);
      lo = std::min(lo, size_t(g) >> 6);
    }
    touched_.clear();
    // In gate order (consumers come later): a changed record marks its active consumers.
    const PinHead* head = head_.data();
    const int32_t* slot_next = slot_next_.data();
    for (size_t w = lo; w < cost_dirty_.size(); ++w) {
      while (dirty[w]) {
        const uint64_t bits = dirty[w];
        const int g = int(w * 64 + size_t(std::countr_zero(bits)));
        dirty[w] = bits & (bits - 1);
        const int32_t* gg = genes + size_t(g) * 3;
        const TraceScratch::Arrival a = gate_arrival(table_, gg[2], gg[0], gg[1], I_, arr);
        TraceScratch::Arrival& old = arr[g];
        if (a.delay == old.delay && a.q_delay == old.q_delay && a.depth == old.depth) continue;
        old = a;
        for (int32_t sl = head[I_ + g].slot; sl >= 0; sl = slot_next[sl]) {
          const int consumer = sl >> 1;
          dirty[size_t(consumer) >> 6] |= uint64_t(1) << (consumer & 63);
        }
      }
    }
  }
  Costs c;
  add_function_costs(c, table_, fn_count_);
  add_term_delays(c, problem_, table_, [genes](size_t i) { return genes[i]; },
                  [arr](int g) -> const TraceScratch::Arrival& { return arr[g]; });
  costs_ = c;
  costs_valid_ = true;
  return costs_;
}

int8_t FastEvaluator::value(int item, int pin) const {
  if (pin < I_ || active_[size_t(pin - I_)]) return vals_[size_t(pin) * D_ + item];
  if (!full_valid_) {  // inactive gate: stored value may be stale, evaluate everything
    full_vals_ = vals_;
    const size_t D = size_t(D_);
    for (int d = 0; d < D_; ++d) {
      int8_t* v = full_vals_.data() + d;
      for (int g = 0; g < G_; ++g)
        v[size_t(I_ + g) * D] = apply_function(genome_.fn(g), v[size_t(genome_.in(g, 0)) * D],
                                               v[size_t(genome_.in(g, 1)) * D]);
    }
    full_valid_ = true;
  }
  return full_vals_[size_t(pin) * D_ + item];
}

// --- Children. ---

FastEvaluator::Child FastEvaluator::make_child() const {
  Child c;
  c.tbits.assign((genome_.genes().size() + 63) / 64, 0);
  c.dirty.assign(size_t(G_ + 63) / 64, 0);
  c.rbits.assign(size_t(G_ + 63) / 64, 0);
  return c;
}

void FastEvaluator::begin(Child& c) const {
  ++c.stamp;
  // Genes: undo this slot's writes (and catch up with the last accept), or copy all.
  const int32_t* pg = genome_.genes().data();
  if (c.genes_version == gene_version_ || c.genes_version + 1 == gene_version_) {
    for (auto [idx, old] : c.log) c.genes[size_t(idx)] = old;  // logged once, first value
    if (c.genes_version != gene_version_)
      for (int32_t idx : last_genes_) c.genes[size_t(idx)] = pg[idx];
  } else {
    c.genes = genome_.genes();
  }
  c.genes_version = gene_version_;
  for (auto [idx, old] : c.log) c.tbits[size_t(idx) >> 6] = 0;
  c.log.clear();
  for (int32_t g : c.rlist) c.rbits[size_t(g) >> 6] = 0;
  c.rlist.clear();
  // Pin values: undo this slot's writes, or copy everything if the parent changed.
  if (c.vals_version != version_) {
    c.vals = vals_;
    c.vals_version = version_;
  } else if (D_ == 1) {
    for (int32_t pin : c.written) c.vals[size_t(pin)] = vals_[size_t(pin)];
  } else {
    for (int32_t pin : c.written)
      std::memcpy(c.vals.data() + size_t(pin) * D_, vals_.data() + size_t(pin) * D_, size_t(D_));
  }
  c.written.clear();
  c.changed.clear();
  c.affected.clear();
  c.affected_contrib.clear();
  c.evaluated = false;
  c.has_costs = false;
}

void FastEvaluator::end(Child& c) const {
  // Keep each gene once, and only if it really differs from the parent.
  for (auto [idx, old] : c.log)
    if (c.genes[size_t(idx)] != old) c.changed.push_back(idx);
  c.neutral = is_neutral(c);
  if (c.neutral) {
    c.raw_error = raw_error_;
    c.error = error();
  }
}

void FastEvaluator::mutate(Child& c, Rng& rng, int max_genes) const {
  begin(c);
  const uint32_t n = uint32_t(problem_.mutable_genes().size());
  Rng r = rng;  // local copy: the state stays in a register
  const uint32_t count = r.below(uint32_t(max_genes) + 1);
  if (c.log.capacity() < count) c.log.reserve(std::max<size_t>(count, 2 * c.log.capacity()));
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t idx = uint32_t(problem_.mutable_gene(r.below(n)));
    set_gene(c, idx, problem_.draw_gene_fast(idx, r));
  }
  rng = r;
  end(c);
}

Genome FastEvaluator::materialize(const Child& c) const {
  Genome g = genome_;
  for (int32_t idx : c.changed) g.genes()[idx] = gene(c, size_t(idx));
  return g;
}

bool FastEvaluator::is_neutral(const Child& c) const {
  for (int32_t idx : c.changed) {
    if (size_t(idx) >= gate_genes_) {
      if (problem_.output_term(int(size_t(idx) - gate_genes_)) >= 0) return false;
      continue;
    }
    const int g = gene_gate(size_t(idx));
    if (!active_[g]) continue;
    const int slot = gene_slot(size_t(idx));
    if (slot == 2) return false;
    if (slot < function_arity(c.genes[size_t(g) * 3 + 2])) return false;  // = the parent's
  }
  return true;
}

void FastEvaluator::evaluate(Child& c) const {
  if (c.evaluated) return;
  c.evaluated = true;
  if (c.neutral) {
    c.raw_error = raw_error_;
    c.error = error();
    return;
  }
  const int I = I_;
  const uint8_t* act = active_.data();
  const int32_t* cg = c.genes.data();
  const uint64_t* tbits = c.tbits.data();
  uint64_t* dirty = c.dirty.data();
  uint64_t* rbits = c.rbits.data();
  size_t lo_word = c.dirty.size();
  auto set_dirty = [&](int g) {
    dirty[size_t(g) >> 6] |= uint64_t(1) << (g & 63);
    lo_word = std::min(lo_word, size_t(g) >> 6);
  };
  auto in_r = [&](int g) { return (rbits[size_t(g) >> 6] >> (g & 63)) & 1; };
  auto add_r = [&](int g) {
    rbits[size_t(g) >> 6] |= uint64_t(1) << (g & 63);
    c.rlist.push_back(g);
    set_dirty(g);
  };
  // An inactive gate newly read by the active part: it and its inactive cone (child
  // wiring) join R and are recomputed.
  auto reach = [&](int32_t pin) {
    if (pin < I || act[pin - I] || in_r(pin - I)) return;
    add_r(pin - I);
    c.stack.clear();
    c.stack.push_back(pin - I);
    while (!c.stack.empty()) {
      const int x = c.stack.back();
      c.stack.pop_back();
      const int32_t* gg = cg + size_t(x) * 3;
      const int ar = function_arity(gg[2]);
      for (int k = 0; k < ar; ++k) {
        const int y = gg[k] - I;
        if (y < 0 || act[y] || in_r(y)) continue;
        add_r(y);
        c.stack.push_back(y);
      }
    }
  };
  for (int32_t idx : c.changed) {
    if (size_t(idx) < gate_genes_) {
      const int h = gene_gate(size_t(idx));
      if (!act[h]) continue;  // reached through R if the child reads it
      set_dirty(h);
      const int32_t* gg = cg + size_t(h) * 3;
      const int ar = function_arity(gg[2]);
      for (int k = 0; k < ar; ++k) reach(gg[k]);
    } else if (problem_.output_term(int(size_t(idx) - gate_genes_)) >= 0) {
      reach(cg[idx]);
    }
  }

  // Recompute in gate order; a changed value marks its active consumers and re-scores
  // the terms reading it (terms whose output gene the mutation wrote are scored last).
  int64_t raw = raw_error_;
  uint64_t evals = 0;
  const PinHead* head = head_.data();
  const int32_t* slot_next = slot_next_.data();
  const int32_t* term_next = term_next_.data();
  const TermInfo* tinfo = tinfo_.data();
  int8_t* v = c.vals.data();
  const size_t words = c.dirty.size();
  const size_t D = size_t(D_);
  for (size_t w = lo_word; w < words; ++w) {
    while (dirty[w]) {
      const uint64_t bits = dirty[w];
      const int g = int(w * 64 + size_t(std::countr_zero(bits)));
      dirty[w] = bits & (bits - 1);
      ++evals;
      const int32_t* gg = cg + size_t(g) * 3;
      const int32_t a = gg[0], b = gg[1], f = gg[2];
      const int pin = I + g;
      bool changed = false;
      if (D == 1) {
        const int8_t nv = apply_function_fast(f, v[a], v[b]);
        if (nv != v[pin]) {
          v[pin] = nv;
          changed = true;
        }
      } else {
        for (size_t d = 0; d < D; ++d) {
          const int8_t nv = apply_function_fast(f, v[size_t(a) * D + d], v[size_t(b) * D + d]);
          if (nv != v[size_t(pin) * D + d]) {
            v[size_t(pin) * D + d] = nv;
            changed = true;
          }
        }
      }
      if (!changed) continue;
      c.written.push_back(pin);
      const PinHead h = head[pin];
      for (int32_t s = h.slot; s >= 0; s = slot_next[s]) {
        const int consumer = s >> 1;
        dirty[size_t(consumer) >> 6] |= uint64_t(1) << (consumer & 63);
      }
      for (int32_t t = h.term; t >= 0; t = term_next[t]) {
        const TermInfo& ti = tinfo[t];
        if (ti.src >= 0 && ((tbits[size_t(ti.src) >> 6] >> (ti.src & 63)) & 1)) continue;
        const int64_t nc = contribution(ti, v[size_t(pin) * D + size_t(ti.item)]);
        c.affected.push_back(t);
        c.affected_contrib.push_back(nc);
        raw += nc - ti.contrib;
      }
    }
  }
  c.gate_evals += evals;
  for (auto [idx, old] : c.log) {  // output genes the mutation wrote
    if (size_t(idx) < gate_genes_) continue;
    const int32_t t = problem_.output_term(int(size_t(idx) - gate_genes_));
    if (t < 0) continue;
    const TermInfo& ti = tinfo[t];
    const int64_t nc = contribution(ti, v[size_t(cg[idx]) * D + size_t(ti.item)]);
    c.affected.push_back(t);
    c.affected_contrib.push_back(nc);
    raw += nc - ti.contrib;
  }
  c.raw_error = raw;
  c.error = problem_.finish(raw);
}

void FastEvaluator::compute_costs(Child& c) const {
  if (c.has_costs) return;
  if (c.neutral) {
    c.costs = costs();
  } else {
    c.costs = trace_phenotype(problem_, table_, [&](size_t i) { return gene(c, i); }, c.trace);
  }
  c.has_costs = true;
}

void FastEvaluator::accept(Child& c) {
  evaluate(c);  // no-op when already evaluated or neutral
  // Reference changes of the parent's active part, from the old and new genes.
  ops_add_.clear();
  ops_del_.clear();
  auto& genes = genome_.genes();
  gate_scratch_.clear();
  for (int32_t idx : c.changed) {
    if (size_t(idx) < gate_genes_) {
      const int h = gene_gate(size_t(idx));
      if (active_[h]) gate_scratch_.push_back(h);  // an inactive gate's refs are not counted
      continue;
    }
    const int32_t t = problem_.output_term(int(size_t(idx) - gate_genes_));
    if (t < 0) continue;
    ops_del_.push_back({genes[idx], ~t});
    ops_add_.push_back({c.genes[size_t(idx)], ~t});
  }
  std::sort(gate_scratch_.begin(), gate_scratch_.end());
  gate_scratch_.erase(std::unique(gate_scratch_.begin(), gate_scratch_.end()), gate_scratch_.end());
  for (int h : gate_scratch_) {
    const int32_t* p = genes.data() + size_t(h) * 3;        // parent (old)
    const int32_t* q = c.genes.data() + size_t(h) * 3;      // child (new)
    const int ar0 = function_arity(p[2]), ar1 = function_arity(q[2]);
    for (int k = 0; k < 2; ++k) {
      const bool u0 = k < ar0, u1 = k < ar1;
      if (u0 && u1 && p[k] == q[k]) continue;
      if (u0) ops_del_.push_back({p[k], 2 * h + k});
      if (u1) ops_add_.push_back({q[k], 2 * h + k});
    }
  }
  for (int32_t idx : c.changed) {
    genes[idx] = c.genes[size_t(idx)];
    if (size_t(idx) < gate_genes_) touch(gene_gate(size_t(idx)));
  }
  if (!c.changed.empty()) {
    ++gene_version_;
    last_genes_ = c.changed;
    c.genes_version = gene_version_;  // this slot's genes equal the new parent's
    for (auto [idx, old] : c.log) c.tbits[size_t(idx) >> 6] = 0;
    c.log.clear();
  }
  // Unlink first (a slot may move between pins), then add (activations cascade over
  // the new genes), then drop the old counts (deactivations cascade).
  for (auto [pin, ref] : ops_del_) unlink_ref(pin, ref);
  for (auto [pin, ref] : ops_add_) add_ref(pin, ref);
  for (auto [pin, ref] : ops_del_) del_ref(pin, ref);

  // Values and error.
  if (!c.written.empty()) {
    if (D_ == 1) {
      for (int32_t pin : c.written) vals_[size_t(pin)] = c.vals[size_t(pin)];
    } else {
      for (int32_t pin : c.written)
        std::memcpy(vals_.data() + size_t(pin) * D_, c.vals.data() + size_t(pin) * D_, size_t(D_));
    }
    ++version_;
    c.vals_version = version_;  // this slot's copy equals the new parent's
    c.written.clear();
  }
  for (size_t i = 0; i < c.affected.size(); ++i) tinfo_[size_t(c.affected[i])].contrib = c.affected_contrib[i];
  raw_error_ = c.raw_error;
  costs_valid_ = false;
  full_valid_ = false;
  begin(c);  // the parent now holds the child
}

}  // namespace nnc::cgp
