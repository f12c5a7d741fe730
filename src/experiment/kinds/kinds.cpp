#include "experiment/kinds/kinds.h"

namespace nnc::experiment {

void register_builtin_kinds() {
  auto& r = kind_registry();
  if (!r.names().empty()) return;
  for (auto make : {train_kind, prune_kind, replay_kind, pretrain_encoder_kind, pretrain_compressor_kind,
                     quantize_kind, search_kind, cgp_kind, cgp_eval_kind}) {
    auto kind = make();
    auto opts = common_options();
    opts.insert(opts.end(), kind.options.begin(), kind.options.end());
    kind.options = opts;
    r.add(kind.name, [kind] { return kind; }, kind.help);
  }
}

}  // namespace nnc::experiment
