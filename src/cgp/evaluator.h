#pragma once
// Incremental evaluator for (1+lambda) CGP.
//
// Parent state:
//  - the genome and, per pin, the int8 value for every dataset item (pin-major: the D
//    values of a pin are adjacent). Values are exact for the primary inputs and the
//    ACTIVE gates; an inactive gate's stored value may be stale (value() still answers
//    exactly, see there);
//  - the active set, kept by reference counting: refs(pin) = scored terms reading the
//    pin + input slots of active gates that read it and that their function uses; a gate
//    is active iff refs > 0. Each pin keeps the list of those references (its active
//    fan-out), so propagation never walks an inactive consumer;
//  - the error as a sum of per-term contributions.
//
// A child slot owns a copy of the genes and of the pin values. Between children the copy
// is re-synchronised through undo lists: the genes and pins the previous child wrote,
// plus the genes the last accepted child changed in the parent (a full copy only when a
// slot falls further behind). A mutation is thus a write per gene plus a log entry.
// Evaluating a child:
//  1. a child whose changes all sit in inactive gates, unused input slots or unscored
//     outputs is neutral: it inherits the parent's error, nothing is computed;
//  2. seeds: every active gate with a changed gene; and every inactive gate the child
//     newly reads from the active part (changed input, changed function using a slot it
//     did not use, changed output gene), with its whole inactive cone in the child's
//     wiring (R, found by a DFS that stops at active gates). R gates are always
//     recomputed (their stored values may be stale);
//  3. in gate-index order (topological: CGP is feed-forward), each seed is recomputed;
//     when a value changes, the active consumers of that pin and the terms reading it
//     are marked. Nothing outside (active set ∪ R) is ever touched;
//  4. the error is updated from the terms whose pin or value changed.
// The child's active set is contained in (parent's active set ∪ R), so after acceptance
// every newly active gate has an exact value. Accepting a child writes its overlay and
// the pins it changed into the parent and updates the reference counts (activations and
// deactivations cascade), without a DFS over the genome.
//
// Child slots are independent: children may be mutated, evaluated and costed in
// parallel (one slot per child) while the parent is read-only.
#include <cstdint>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/genome.h"
#include "cgp/problem.h"

namespace nnc::cgp {

class FastEvaluator {
 public:
  /// One child's overlay and scratch buffers (reuse it across generations).
  struct Child {
    uint32_t stamp = 0;
    std::vector<int32_t> genes;      ///< the child's genome: parent + this mutation
    uint64_t genes_version = ~uint64_t(0);  ///< parent gene version `genes` matches
    std::vector<std::pair<int32_t, int32_t>> log;  ///< (gene, parent value), first write only
    std::vector<uint64_t> tbits;     ///< gene bitset: in `log`
    std::vector<int32_t> changed;    ///< gene indices whose value differs from the parent
    std::vector<int8_t> vals;        ///< P x D (pin-major): parent values + this child's
    uint64_t vals_version = ~uint64_t(0);  ///< parent version `vals` was copied from
    std::vector<int32_t> written;    ///< pins whose value differs from the parent copy
    std::vector<uint64_t> dirty;     ///< gate bitset of the propagation front
    std::vector<uint64_t> rbits;     ///< gate bitset: in R (newly read inactive cone)
    std::vector<int32_t> rlist;      ///< gates set in rbits (to clear them)
    std::vector<int32_t> stack;
    std::vector<int32_t> affected;   ///< re-scored terms (each once)
    std::vector<int64_t> affected_contrib;  ///< their new contributions
    TraceScratch trace;
    bool neutral = false;
    bool evaluated = false;
    bool has_costs = false;
    int64_t raw_error = 0;
    int64_t error = 0;  ///< finished metric
    Costs costs;
    uint64_t gate_evals = 0;  ///< gates re-computed (cumulative over this slot's use)
  };

  FastEvaluator(const Problem& problem, const CostTable& table, Genome parent);
  /// The table is kept by reference: a temporary would dangle (found by ASan).
  FastEvaluator(const Problem&, CostTable&&, Genome) = delete;

  Child make_child() const;
  /// Draws up to max_genes gene changes into the child's overlay and flags neutrality.
  void mutate(Child& c, Rng& rng, int max_genes) const;
  /// Hand-made children: begin(c), set_gene(c, idx, v)..., end(c).
  void begin(Child& c) const;
  void set_gene(Child& c, size_t idx, int32_t value) const {
    uint64_t& w = c.tbits[idx >> 6];
    const uint64_t bit = uint64_t(1) << (idx & 63);
    if (!(w & bit)) {
      w |= bit;
      c.log.push_back({int32_t(idx), c.genes[idx]});
    }
    c.genes[idx] = value;
  }
  void end(Child& c) const;
  /// The child as a full genome (tests, logging).
  Genome materialize(const Child& c) const;
  /// Error of the child (neutral: the parent's, nothing computed).
  void evaluate(Child& c) const;
  /// Costs of the child's active gates (DFS over the overlay).
  void compute_costs(Child& c) const;
  /// Makes the child the new parent.
  void accept(Child& c);

  const Genome& parent() const { return genome_; }
  int64_t error() const { return problem_.finish(raw_error_); }
  /// Costs of the parent's active gates (computed on first use after a change).
  const Costs& costs() const;
  const std::vector<uint8_t>& active() const { return active_; }
  /// Exact value of a pin of the parent. Active gates and inputs are stored; an inactive
  /// gate's value is recomputed (a full evaluation, cached until the parent changes).
  int8_t value(int item, int pin) const;
  /// References to a pin (scored terms + used input slots of active gates); tests.
  int32_t refs(int pin) const { return refs_[size_t(pin)]; }
  const Problem& problem() const { return problem_; }

  /// Child's view of gene idx.
  int32_t gene(const Child& c, size_t idx) const { return c.genes[idx]; }
  bool is_neutral(const Child& c) const;

 private:
  void full_evaluate();
  void init_refs();
  void add_ref(int32_t pin, int32_t ref);
  void del_ref(int32_t pin, int32_t ref);
  void link_ref(int32_t pin, int32_t ref);
  void unlink_ref(int32_t pin, int32_t ref);
  template <class F>
  void cascade(F&& step);

  const Problem& problem_;
  const CostTable& table_;
  Genome genome_;
  int I_, G_, P_, D_;
  std::vector<int8_t> vals_;  ///< P x D, pin-major
  uint64_t version_ = 0;      ///< bumped whenever vals_ changes
  uint64_t gene_version_ = 1;  ///< bumped whenever the genome changes (a slot starts at ~0)
  std::vector<int32_t> last_genes_;  ///< genes changed by the last accept (version - 1 -> version)
  std::vector<int32_t> gate_scratch_;
  // Active fan-out as intrusive lists. A reference `ref` >= 0 is gate input slot 2g + k
  // (linked while gate g is active and f(g) uses slot k), ref < 0 is term ~ref (always
  // linked). Per pin the first slot / term reading it; next/prev chain the readers.
  struct PinHead {
    int32_t slot = -1, term = -1;
  };
  std::vector<PinHead> head_;  ///< per pin
  std::vector<int32_t> slot_next_, slot_prev_;  ///< per slot
  std::vector<int32_t> term_next_, term_prev_;  ///< per term
  std::vector<int32_t> refs_;  ///< per pin: linked slots + terms reading it
  size_t gate_genes_ = 0;
  /// A scored term, packed for the hot path.
  struct TermInfo {
    int64_t contrib;  ///< its contribution in the parent
    int32_t src;      ///< output gene giving the pin, or ~pin (fixed pin: multiplexing)
    int32_t item;
    int32_t weight;
    int8_t target;
  };
  std::vector<TermInfo> tinfo_;
  bool abs_metric_ = false;
  int64_t contribution(const TermInfo& t, int8_t v) const {
    const int64_t d = int64_t(v) - int64_t(t.target);
    return t.weight * (abs_metric_ ? (d < 0 ? -d : d) : d * d);
  }
  int32_t term_pin(const TermInfo& t) const { return t.src >= 0 ? genome_.genes()[t.src] : ~t.src; }
  int64_t raw_error_ = 0;
  std::vector<uint8_t> active_;
  std::vector<std::pair<int32_t, int32_t>> ops_add_, ops_del_;  ///< accept() scratch
  std::vector<int32_t> cascade_;
  mutable Costs costs_;
  mutable bool costs_valid_ = false;
  // The parent's costs, kept up to date lazily: gates whose genes or active flag changed
  // since the last costs() are "touched"; costs() re-counts them per function and
  // recomputes the arrival records from them forward, through the active fan-out, only
  // while a record changes (instead of a pass over every gate per stats row).
  void touch(int g) {
    if (cost_full_) return;
    uint64_t& w = touched_bits_[size_t(g) >> 6];
    const uint64_t bit = uint64_t(1) << (g & 63);
    if (w & bit) return;
    w |= bit;
    touched_.push_back(g);
    if (touched_.size() > size_t(G_) / 4) {  // cheaper to start over
      for (int32_t t : touched_) touched_bits_[size_t(t) >> 6] = 0;
      touched_.clear();
      cost_full_ = true;
    }
  }
  mutable bool cost_full_ = true;  ///< recompute counts and every arrival record
  mutable FunctionCounts fn_count_{};
  mutable std::vector<int8_t> counted_fn_;  ///< per gate: function counted in fn_count_, or -1
  mutable std::vector<TraceScratch::Arrival> arrival_;  ///< per active gate
  mutable std::vector<uint64_t> touched_bits_, cost_dirty_;
  mutable std::vector<int32_t> touched_;
  mutable std::vector<int8_t> full_vals_;  ///< value() cache for inactive gates
  mutable bool full_valid_ = false;
};

}  // namespace nnc::cgp
