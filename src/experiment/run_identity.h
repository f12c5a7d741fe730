#pragma once
// What a stored run gets today, recomputed from its recorded config: its id under the
// current identity scheme (docs/engine.md#run-identity), what `results migrate` re-keys old
// databases with, and its kind's report tags, what migrate and import add to runs recorded
// without them.
#include <map>
#include <string>

#include "experiment/run_record.h"

namespace nnc::experiment {

/// The id `record`'s config gets today. Throws nnc::Error when it cannot be recomputed: an
/// unknown kind, or an option this version no longer has (the run then keeps its id).
std::string current_run_id(const RunRecord& record);

/// The report tags `record`'s kind gives its recorded config today (ExperimentKind::
/// report_tags; none for a kind without). Options the config does not state take their
/// defaults. Throws nnc::Error when the config cannot be read back or its plug-ins refuse it.
std::map<std::string, std::string> current_report_tags(const RunRecord& record);

}  // namespace nnc::experiment
