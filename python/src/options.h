#pragma once
// Python keyword arguments as nncompress options, shared by every area of the Python API, so
// a bad value or an unknown name gets the same one-line error everywhere.
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "core/options.h"

namespace nnc::python {

/// A Python value (bool, int, float, str) as an option value; anything else names the option.
OptionValue option_value(const std::string& key, const pybind11::handle& v);

/// Keyword arguments as options of `specs`, each coerced to its spec's type. A name may be the
/// CLI's (jpeg_quality) or drop the plug-in's prefix (quality= with prefix "jpeg"). Unknown
/// names fail as "<where>: unknown option 'x' (did you mean 'y'?)", else pointing to `help`.
OptionValues keyword_options(const std::vector<OptionSpec>& specs, const std::string& prefix,
                             const pybind11::dict& kwargs, const std::string& where,
                             const std::string& help);

}  // namespace nnc::python
