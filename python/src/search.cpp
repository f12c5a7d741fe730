// nncompress.search (C++ part): a study over a categorical space driven by a Python loop
// through ask/tell (search::AskTell), with any sampler of the CLI. Python owns the loop and
// the objective; each call crosses the binding once, so the overhead per trial is one ask and
// one tell (measured by bench/search/python_overhead.py).
#include <pybind11/stl.h>

#include <memory>

#include "core/error.h"
#include "python/src/bindings.h"
#include "python/src/options.h"
#include "search/ask_tell.h"
#include "search/sampler.h"

namespace py = pybind11;

namespace nnc::python {
namespace {

search::Value choice_value(const std::string& param, size_t k, const py::handle& v) {
  if (py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v)) return v.cast<int64_t>();
  if (py::isinstance<py::float_>(v)) return v.cast<double>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  fail("search.Study: parameter '{}' choice {}: expected an int, float or str, got a Python {}",
       param, k, py::str(v.get_type().attr("__name__")).cast<std::string>());
}

/// {name: [choices]} in insertion order.
search::SearchSpace space_of(const py::dict& params) {
  search::SearchSpace space;
  for (auto& [k, choices] : params) {
    const std::string name = py::str(k);
    NNC_CHECK(py::isinstance<py::sequence>(choices) && !py::isinstance<py::str>(choices),
              "search.Study: parameter '{}': expected a list of choices", name);
    std::vector<search::Value> values;
    for (const auto& c : choices.cast<py::sequence>()) values.push_back(choice_value(name, values.size(), c));
    space.add(name, std::move(values));
  }
  return space;
}

py::object as_python(const search::Value& v) {
  return std::visit([](const auto& x) -> py::object { return py::cast(x); }, v);
}

py::dict trial_dict(const search::SearchSpace& space, const search::Trial& t) {
  py::dict params;
  for (size_t i = 0; i < t.params.size(); ++i) params[py::str(space[i].name)] = as_python(t.params[i]);
  py::dict d;
  d["number"] = t.number;
  d["params"] = params;
  d["values"] = t.values;
  d["objectives"] = t.objectives;
  d["state"] = search::to_string(t.state);
  d["error"] = t.error;
  d["duplicate_of"] = t.duplicate_of;
  d["sampler_seconds"] = t.sampler_seconds;
  d["objective_seconds"] = t.objective_seconds;
  return d;
}

/// One study: its space, objective, sampler and the ask/tell state.
class Study {
 public:
  Study(const py::dict& params, const std::vector<std::tuple<std::string, std::string, double>>& metrics,
        bool sum_scaled_metrics, const std::string& direction, const std::string& sampler,
        uint64_t seed, const std::string& dedup, const py::dict& sampler_options)
      : space_(space_of(params)), spec_(spec_of(metrics, sum_scaled_metrics, direction)),
        sampler_(make_sampler_from(sampler, seed, sampler_options)),
        study_(space_, spec_, *sampler_, search::parse_dedup(dedup)) {}

  py::object ask() {
    auto t = study_.ask();
    return t ? py::object(trial_dict(space_, *t)) : py::none();
  }
  py::dict tell(int number, std::vector<double> values, double objective_seconds) {
    return trial_dict(space_, study_.tell(number, std::move(values), objective_seconds));
  }
  py::dict tell_failed(int number, std::string error, double objective_seconds) {
    return trial_dict(space_, study_.tell_failed(number, std::move(error), objective_seconds));
  }
  py::list trials() const {
    py::list out;
    for (const auto& t : study_.trials()) out.append(trial_dict(space_, t));
    return out;
  }
  py::object best() const {
    NNC_CHECK(spec_.n_objectives() == 1,
              "search.Study: best needs one objective but there are {}; use front",
              spec_.n_objectives());
    const auto* b = study_.best();
    return b ? py::object(trial_dict(space_, *b)) : py::none();
  }
  py::list front() const {
    py::list out;
    for (size_t i : study_.front()) out.append(trial_dict(space_, study_.trials()[i]));
    return out;
  }
  py::object max_trials() const {
    auto cap = study_.max_trials();
    return cap ? py::object(py::int_(*cap)) : py::none();
  }
  double sampler_seconds() { return study_.result().sampler_seconds; }
  std::string describe() const {
    std::ostringstream os;
    space_.describe(os);
    spec_.describe(os);
    sampler_->describe(os);
    return os.str();
  }

 private:
  static search::ObjectiveSpec spec_of(const std::vector<std::tuple<std::string, std::string, double>>& metrics,
                                       bool sum, const std::string& direction) {
    search::ObjectiveSpec spec;
    for (const auto& [name, dir, scale] : metrics)
      spec.metrics.push_back({name, scale, search::parse_direction(dir)});
    spec.sum_scaled_metrics = sum;
    spec.direction = search::parse_direction(direction);
    return spec;
  }
  static std::unique_ptr<search::Sampler> make_sampler_from(const std::string& name, uint64_t seed,
                                                            const py::dict& kwargs) {
    auto& registry = search::sampler_registry();
    NNC_CHECK(registry.contains(name), "search.Study: unknown sampler '{}': expected one of {}",
              name, registry.joined_names());
    // A sampler's own options may drop its prefix: n_startup_trials= for tpe_n_startup_trials.
    std::string prefix = name;
    std::replace(prefix.begin(), prefix.end(), '-', '_');
    OptionValues options = keyword_options(registry.option_specs(), prefix, kwargs,
                                           "search.Study", "nncompress search --help");
    search::check_sampler_options_apply(name, options);
    return search::make_sampler(name, seed, options);
  }

  search::SearchSpace space_;
  search::ObjectiveSpec spec_;
  std::unique_ptr<search::Sampler> sampler_;
  search::AskTell study_;
};

}  // namespace

void bind_search(py::module_& m) {
  m.def("samplers", [] { return search::sampler_registry().names(); }, "The search samplers.");
  py::class_<Study>(m, "Study")
      .def(py::init<const py::dict&, const std::vector<std::tuple<std::string, std::string, double>>&,
                    bool, const std::string&, const std::string&, uint64_t, const std::string&,
                    const py::dict&>(),
           py::arg("params"), py::arg("metrics"), py::arg("sum_scaled_metrics"), py::arg("direction"),
           py::arg("sampler"), py::arg("seed"), py::arg("dedup"), py::arg("sampler_options"))
      .def("ask", &Study::ask)
      .def("tell", &Study::tell, py::arg("number"), py::arg("values"), py::arg("objective_seconds") = 0.0)
      .def("tell_failed", &Study::tell_failed, py::arg("number"), py::arg("error"),
           py::arg("objective_seconds") = 0.0)
      .def_property_readonly("trials", &Study::trials)
      .def_property_readonly("best", &Study::best)
      .def_property_readonly("front", &Study::front)
      .def_property_readonly("max_trials", &Study::max_trials)
      .def_property_readonly("sampler_seconds", &Study::sampler_seconds)
      .def("describe", &Study::describe);
}

}  // namespace nnc::python
