#pragma once
// The areas of the Python API, one binding function (and file) each.
#include <pybind11/pybind11.h>

namespace nnc::python {

/// run(kind, out, options) -> record dict; kinds() -> names; report(out) -> files.
void bind_run(pybind11::module_& m);
/// sweep(plan, out) -> records.
void bind_sweep(pybind11::module_& m);
/// ReplayMemory (wrapped by nncompress/replay.py), compressors(), encoders().
void bind_replay(pybind11::module_& m);
/// Study (ask/tell, wrapped by nncompress/search.py), samplers().
void bind_search(pybind11::module_& m);
/// cgp_evolve, cgp_outputs (wrapped by nncompress/cgp.py).
void bind_cgp(pybind11::module_& m);

}  // namespace nnc::python
