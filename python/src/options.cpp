#include "python/src/options.h"

#include <algorithm>

#include "core/error.h"
#include "experiment/run_config.h"

namespace py = pybind11;

namespace nnc::python {

OptionValue option_value(const std::string& key, const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>();
  if (py::isinstance<py::int_>(v)) return v.cast<int64_t>();
  if (py::isinstance<py::float_>(v)) return v.cast<double>();
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  fail("option '{}': expected a bool, int, float or str, got a Python {}", key,
       py::str(v.get_type().attr("__name__")).cast<std::string>());
}

OptionValues keyword_options(const std::vector<OptionSpec>& specs, const std::string& prefix,
                             const py::dict& kwargs, const std::string& where,
                             const std::string& help) {
  auto spec_of = [&](const std::string& name) {
    return std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.key == name; });
  };
  OptionValues out;
  for (auto& [k, value] : kwargs) {
    std::string key = py::str(k);
    if (spec_of(key) == specs.end() && !prefix.empty() && spec_of(prefix + "_" + key) != specs.end())
      key = prefix + "_" + key;
    const auto spec = spec_of(key);
    if (spec == specs.end()) {
      const std::string hint = experiment::closest_key(key, specs);
      fail("{}: unknown option '{}' ({})", where, key,
           hint.empty() ? "see " + help : fmt::format("did you mean '{}'?", hint));
    }
    out[key] = coerce_like(spec->default_value, option_value(key, value), key);
  }
  return out;
}

}  // namespace nnc::python
