// The `nncompress._nncompress` extension: the C++ toolkit from Python. One file per area of
// the Python API (run.cpp, replay.cpp, ...); this one only creates the module, maps the
// project's error type to a Python exception and registers the areas.
#include <torch/extension.h>

#include "core/error.h"
#include "experiment/kinds/kinds.h"
#include "python/src/bindings.h"

PYBIND11_MODULE(_nncompress, m) {
  m.doc() = "nncompress: accuracy under a fixed memory budget (C++ core)";
  // nnc::Error carries the one-line message the CLI prints: Python gets the same line.
  static pybind11::exception<nnc::Error> error(m, "Error", PyExc_ValueError);
  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const nnc::Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });
  nnc::experiment::register_builtin_kinds();
  nnc::python::bind_run(m);
  nnc::python::bind_sweep(m);
  nnc::python::bind_replay(m);
  nnc::python::bind_search(m);
  nnc::python::bind_cgp(m);
}
