#pragma once
// A run record as the Python API returns it (run(), sweep()): a dict of id, kind, status,
// error, config, metrics, tags, series, artifacts, run_time_s, attempt, skipped.
#include <pybind11/pybind11.h>

#include "experiment/run_record.h"

namespace nnc::python {

pybind11::dict record_dict(const experiment::RunRecord& r, bool skipped);

}  // namespace nnc::python
