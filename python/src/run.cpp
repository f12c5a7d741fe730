// nncompress.run / kinds / report: an experiment kind run in-process, recorded in the same
// results store as the CLI's runs (a completed configuration is not run again).
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment/results_store.h"
#include "experiment/runner.h"
#include "python/src/bindings.h"
#include "python/src/options.h"
#include "python/src/record.h"
#include "report/report.h"

namespace py = pybind11;

namespace nnc::python {

py::dict record_dict(const experiment::RunRecord& r, bool skipped) {
  py::dict d;
  d["id"] = r.id;
  d["kind"] = r.kind;
  d["status"] = std::string(experiment::to_string(r.status));
  d["error"] = r.error;  // why it failed (empty when completed)
  d["config"] = py::module_::import("json").attr("loads")(r.config_json.empty() ? "{}" : r.config_json);
  d["metrics"] = r.metrics;
  d["tags"] = r.tags;
  d["series"] = r.series;
  d["artifacts"] = r.artifacts;
  d["run_time_s"] = r.run_time_s;
  d["attempt"] = r.attempt;
  d["skipped"] = skipped;  // already completed in `out`: the stored record, nothing run
  return d;
}

namespace {

py::dict run(const std::string& kind_name, const std::string& out, const py::dict& options, bool rerun) {
  const auto kind = experiment::kind_registry().create(kind_name);
  experiment::RunConfig config(kind.name, kind.options);
  for (auto& [k, v] : options) {
    const std::string key = py::str(k);
    config.set(key, option_value(key, v));
  }
  if (kind.check) kind.check(config);
  experiment::ResultsStore store(out);
  store.require_current_ids();
  experiment::RunOutcome outcome;
  {
    py::gil_scoped_release release;  // training runs in C++ threads; Python threads may go on
    outcome = experiment::run_one(kind, config, store, out, /*skip_completed=*/!rerun);
  }
  const auto& r = outcome.record;
  NNC_CHECK(r.status == experiment::RunStatus::Completed, "{} (run {} attempt {} recorded as failed in {})",
            r.error, r.id, r.attempt, store.path());
  return record_dict(r, outcome.skipped);
}

py::dict report(const std::string& out, bool images) {
  report::ReportOptions o;
  o.results_dir = out;
  o.images = images;
  o.validate();
  auto f = report::write_report(o);
  py::dict d;
  d["html"] = f.html;
  d["folder"] = f.folder;
  d["images"] = f.images;
  d["tables"] = f.tables;
  d["notes"] = f.notes;
  return d;
}

}  // namespace

void bind_run(py::module_& m) {
  m.def("kinds", [] { return experiment::kind_registry().names(); }, "The experiment kinds.");
  m.def("run", &run, py::arg("kind"), py::arg("out"), py::arg("options"), py::arg("rerun") = false,
        "Runs one experiment of `kind` with `options` (the CLI's option names), recording it in "
        "out/results.db; returns the run record. A completed configuration is not run again "
        "(its stored record comes back, skipped=True) unless rerun.");
  m.def("report", &report, py::arg("out"), py::arg("images") = true,
        "Writes the HTML/PNG/CSV report of out/results.db; returns where.");
}

}  // namespace nnc::python
