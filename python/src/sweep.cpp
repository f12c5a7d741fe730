// nncompress.sweep: every run of a sweep plan (a TOML file, or the same plan as a dict), run
// in this process one after the other and recorded in <out>/results.db like the CLI's sweep.
// Completed runs are skipped, so calling it again resumes; a failing run is recorded and the
// sweep goes on. (`nncompress sweep` runs each in its own process, in parallel with --jobs.)
#include <pybind11/stl.h>
#include <toml++/toml.h>

#include <sstream>

#include "core/error.h"
#include "experiment/planned_runs.h"
#include "experiment/results_store.h"
#include "experiment/runner.h"
#include "python/src/bindings.h"
#include "python/src/record.h"

namespace py = pybind11;

namespace nnc::python {
namespace {

/// A Python plan value as TOML (tables, arrays, bool, int, float, str), so a dict plan goes
/// through the very parser and shape checks a TOML file does.
std::unique_ptr<toml::node> toml_of(const std::string& where, const py::handle& v);

toml::table toml_table(const std::string& where, const py::dict& d) {
  toml::table t;
  for (auto& [k, v] : d) {
    const std::string key = py::str(k);
    auto node = toml_of(where.empty() ? key : where + "." + key, v);
    t.insert(key, std::move(*node));
  }
  return t;
}

std::unique_ptr<toml::node> toml_of(const std::string& where, const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return std::make_unique<toml::value<bool>>(v.cast<bool>());
  if (py::isinstance<py::int_>(v)) return std::make_unique<toml::value<int64_t>>(v.cast<int64_t>());
  if (py::isinstance<py::float_>(v)) return std::make_unique<toml::value<double>>(v.cast<double>());
  if (py::isinstance<py::str>(v)) return std::make_unique<toml::value<std::string>>(v.cast<std::string>());
  if (py::isinstance<py::dict>(v)) return std::make_unique<toml::table>(toml_table(where, v.cast<py::dict>()));
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    auto a = std::make_unique<toml::array>();
    for (const auto& item : v.cast<py::sequence>()) {
      auto node = toml_of(where + "[]", item);
      a->push_back(std::move(*node));
    }
    return a;
  }
  fail("sweep plan: '{}': expected a bool, int, float, str, list or dict, got a Python {}", where,
       py::str(v.get_type().attr("__name__")).cast<std::string>());
}

experiment::SweepPlan plan_of(const py::object& plan) {
  if (py::isinstance<py::str>(plan) || py::hasattr(plan, "__fspath__"))
    return experiment::load_sweep_plan(py::str(plan).cast<std::string>());
  NNC_CHECK(py::isinstance<py::dict>(plan),
            "sweep: plan must be a TOML file's path or a dict (kind, fixed, grid, zip), got a Python {}",
            py::str(plan.get_type().attr("__name__")).cast<std::string>());
  std::ostringstream text;
  text << toml_table("", plan.cast<py::dict>());
  return experiment::parse_sweep_plan(text.str(), "sweep plan (dict)");
}

py::list sweep(const py::object& plan_arg, const std::string& out_arg, bool rerun) {
  const experiment::SweepPlan plan = plan_of(plan_arg);
  const auto checked = experiment::plan_runs(plan);
  const std::string out = !out_arg.empty() ? out_arg : plan.default_out();
  experiment::ResultsStore store(out);
  store.require_current_ids();
  const auto& runs = checked.expansion.runs;
  py::list records;
  for (size_t i = 0; i < runs.size(); ++i) {
    experiment::RunOutcome outcome;
    {
      py::gil_scoped_release release;
      fmt::print(stderr, "sweep: run {}/{} ({})\n", i + 1, runs.size(), runs[i].id);
      outcome = experiment::run_one(checked.kind, runs[i].config, store, out, /*skip_completed=*/!rerun);
    }
    records.append(record_dict(outcome.record, outcome.skipped));
  }
  return records;
}

}  // namespace

void bind_sweep(py::module_& m) {
  m.def("sweep", &sweep, py::arg("plan"), py::arg("out"), py::arg("rerun") = false,
        "Runs every run of a sweep plan in this process, one after the other; returns their records.");
}

}  // namespace nnc::python
