#include "prune/neuron_deletion.h"

#include <sstream>
#include <string>
#include <type_traits>

#include <fmt/format.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

#include "core/error.h"

namespace nnc::prune {

namespace {
ParamEntry* find_entry(Masks& masks, const torch::Tensor& p) {
  for (auto& e : masks.entries())
    if (e.param.is_same(p)) return &e;
  return nullptr;
}

// An optimizer keys its per-parameter state by the parameter's TensorImpl: as the pointer's
// printed form (a string) in LibTorch 1.x, as the pointer itself in 2.x. The map's own key type
// says which, so one source builds against both.
template <typename StateMap>
typename StateMap::key_type optimizer_state_key(const torch::Tensor& param) {
  using Key = typename StateMap::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream os;
    os << param.unsafeGetTensorImpl();
    return os.str();
  } else {
    return static_cast<Key>(param.unsafeGetTensorImpl());
  }
}

void slice_state_tensor(torch::Tensor& s, int64_t dim, const torch::Tensor& keep) {
  if (s.defined() && s.dim() > dim) s = s.index_select(dim, keep.to(s.device())).contiguous();
}
}  // namespace

void slice_in_place(torch::Tensor& t, int64_t dim, const torch::Tensor& keep,
                    torch::optim::Optimizer* optimizer) {
  torch::NoGradGuard g;
  if (optimizer) {
    auto& states = optimizer->state();
    auto it = states.find(optimizer_state_key<std::remove_reference_t<decltype(states)>>(t));
    if (it != states.end()) {
      if (auto* a = dynamic_cast<torch::optim::AdamParamState*>(it->second.get())) {
        auto m = a->exp_avg(), v = a->exp_avg_sq(), mx = a->max_exp_avg_sq();
        slice_state_tensor(m, dim, keep), slice_state_tensor(v, dim, keep), slice_state_tensor(mx, dim, keep);
        a->exp_avg(m), a->exp_avg_sq(v), a->max_exp_avg_sq(mx);
      } else if (auto* aw = dynamic_cast<torch::optim::AdamWParamState*>(it->second.get())) {
        auto m = aw->exp_avg(), v = aw->exp_avg_sq(), mx = aw->max_exp_avg_sq();
        slice_state_tensor(m, dim, keep), slice_state_tensor(v, dim, keep), slice_state_tensor(mx, dim, keep);
        aw->exp_avg(m), aw->exp_avg_sq(v), aw->max_exp_avg_sq(mx);
      } else if (auto* s = dynamic_cast<torch::optim::SGDParamState*>(it->second.get())) {
        auto b = s->momentum_buffer();
        slice_state_tensor(b, dim, keep);
        s->momentum_buffer(b);
      }
    }
  }
  auto sliced = t.index_select(dim, keep.to(t.device())).contiguous();
  if (t.grad().defined()) t.mutable_grad() = torch::Tensor();
  t.set_data(sliced);
  // A live graph (e.g. the last batch's loss) may still hold this leaf's gradient
  // accumulator, which remembers the old shape: make the next forward create a new one.
  if (auto* meta = torch::autograd::impl::get_autograd_meta(t)) meta->grad_accumulator_.reset();
}

namespace {
void slice_entry(ParamEntry& e, int64_t dim, const torch::Tensor& keep, torch::optim::Optimizer* opt) {
  slice_in_place(e.param, dim, keep, opt);
  e.mask = e.mask.index_select(dim, keep.to(e.mask.device())).contiguous();
  for (auto& c : e.companions) slice_in_place(c, dim, keep, opt);
  for (auto& s : e.optimizer_state) slice_in_place(s, dim, keep, nullptr);
}
}  // namespace

DeletionReport delete_neurons(models::MLP& mlp, Masks& masks, torch::optim::Optimizer* optimizer) {
  DeletionReport r;
  const auto& lin = mlp.linears();
  torch::NoGradGuard g;
  for (size_t l = 0; l + 1 < lin.size(); ++l) {
    auto* w = find_entry(masks, lin[l]->weight);
    auto* b = find_entry(masks, lin[l]->bias);
    auto* wn = find_entry(masks, lin[l + 1]->weight);
    auto* bn = find_entry(masks, lin[l + 1]->bias);
    NNC_CHECK(w && b && wn && bn, "neuron deletion: layer {} has no mask entries (masks built on another model?)",
              l + 1);
    auto masked_w = w->param * w->mask;
    auto dead = masked_w.ne(0).sum(1).eq(0);  // [out]
    int64_t n_dead = dead.sum().item<int64_t>();
    if (n_dead == 0) continue;
    auto keep = torch::nonzero(dead.logical_not()).flatten();
    auto gone = torch::nonzero(dead).flatten();
    if (keep.numel() == 0) {
      r.notes.push_back(fmt::format("layer {}: every neuron is dead; keeping neuron 0 so the layer stays", l + 1));
      keep = gone.slice(0, 0, 1);
      gone = gone.slice(0, 1);
    }
    if (gone.numel() == 0) continue;
    // Fold the constant outputs act(b_k) into the next layer's bias.
    auto act = models::apply_activation(mlp.activations()[l], b->param.index_select(0, gone) *
                                                                    b->mask.index_select(0, gone));
    auto cols = (wn->param * wn->mask).index_select(1, gone);  // [next_out, gone]
    auto folded = cols.matmul(act);
    bn->param.add_(folded);
    bn->mask.masked_fill_(folded.ne(0), 1.0);  // a pruned bias that now carries a constant
    slice_entry(*w, 0, keep, optimizer);
    slice_entry(*b, 0, keep, optimizer);
    slice_entry(*wn, 1, keep, optimizer);
    r.deleted += gone.numel();
  }
  r.widths.push_back(lin.front()->weight.size(1));
  for (const auto& layer : lin) r.widths.push_back(layer->weight.size(0));
  return r;
}

std::vector<int64_t> alive_widths(const models::MLP& mlp) {
  torch::NoGradGuard g;
  const auto& lin = mlp.linears();
  std::vector<int64_t> out{lin.front()->weight.size(1)};
  for (size_t l = 0; l + 1 < lin.size(); ++l) {
    auto in_alive = lin[l]->weight.ne(0).any(1);
    auto out_alive = lin[l + 1]->weight.ne(0).any(0);
    out.push_back((in_alive & out_alive).sum().item<int64_t>());
  }
  out.push_back(lin.back()->weight.size(0));
  return out;
}

}  // namespace nnc::prune
