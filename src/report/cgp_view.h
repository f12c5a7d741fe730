#pragma once
// CGP evolution: the error and the energy of the best circuit over the generations, a line
// per run.
//
// What a cgp run should record (kind "cgp"):
//   series  error, energy: the best circuit's values at each logged point (the stats CSV
//           rows: every strict improvement and phase end); generation (optional, same
//           length): the x axis (else the row index)
//   metrics error, energy, area, delay, gate_count, generations (final values; shown in
//           the table when present)
//   tags    label (optional): the line's name instead of the run id
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

std::vector<Section> cgp_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
