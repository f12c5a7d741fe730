#pragma once
// A stored run's id under the current identity scheme (docs/engine.md#run-identity),
// recomputed from its recorded config: what `results migrate` re-keys old databases with.
#include <string>

#include "experiment/run_record.h"

namespace nnc::experiment {

/// The id `record`'s config gets today. Throws nnc::Error when it cannot be recomputed: an
/// unknown kind, or an option this version no longer has (the run then keeps its id).
std::string current_run_id(const RunRecord& record);

}  // namespace nnc::experiment
