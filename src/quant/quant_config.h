#pragma once
// Per-layer quantization configs and how a layer finds its own (MASE's quantize pass config).
//
// TOML ([passes.quantize], the seed's jsc_toy_by_type.toml format):
//
//   [passes.quantize]
//   by = "type"                       # "type" | "name" | "regex_name"
//   [passes.quantize.default.config]  # layers no other key matches
//   name = "NA"                       # "NA" = leave in float
//   [passes.quantize.linear.config]   # by = "type": an op type (linear, conv2d, relu)
//   name = "integer"                  # "integer" (round half to even) | "integer_floor"
//   data_in_width = 8
//   data_in_frac_width = 4            # "NA" (or absent) = width // 2
//   weight_width = 8
//   weight_frac_width = 4
//   bias_width = 8
//   bias_frac_width = 4
//   # data_out_width / data_out_frac_width: quantize the output too (default: float output)
//
// by = "name": keys are layer names (module paths such as fc1, conv2; JSC-Tiny also answers to
// MASE's seq_blocks_<i>). by = "regex_name": keys are regular expressions matched against the
// whole layer name (std::regex ECMAScript, full match), in file order, first match wins.
// A tensor whose *_width is absent stays float (e.g. a ReLU config needs only data_in_*).
// ReLU inputs are quantized unsigned; BatchNorm and pooling are never quantized.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quant/fixed_point.h"
#include "search/search_space.h"

namespace nnc::quant {

/// Op types that take a config: "linear", "conv2d", "relu".
const std::vector<std::string>& quantizable_op_types();
bool is_quantizable(const std::string& op_type);

struct LayerQuantConfig {
  std::string name = "NA";  ///< "NA" (float) | "integer" | "integer_floor"
  std::optional<FixedPoint> data_in, weight, bias, data_out;

  bool quantized() const { return name != "NA"; }
  /// "float" or e.g. "integer in Q8.4 w Q4.2 b Q8.4".
  std::string describe() const;
  /// Convenience: name "integer", each format with frac = width // 2.
  static LayerQuantConfig integer(int data_in_width, int weight_width, int bias_width);
};

/// One TOML field (or one sampled search value): integer, float or string.
using FieldValue = search::Value;

/// Builds a config from named fields (name, data_in_width, data_in_frac_width, weight_width,
/// weight_frac_width, bias_width, bias_frac_width, data_out_width, data_out_frac_width).
/// Unknown fields and wrong types fail with `where` + the field in the message.
LayerQuantConfig layer_config_from_fields(
    const std::vector<std::pair<std::string, FieldValue>>& fields, const std::string& where);

enum class ConfigBy { kType, kName, kRegexName };
/// "type" | "name" | "regex_name"; `where` names the key in the error.
ConfigBy parse_config_by(std::string_view text, const std::string& where);
std::string to_string(ConfigBy by);

struct QuantConfig {
  ConfigBy by = ConfigBy::kType;
  LayerQuantConfig default_config;  ///< "NA" unless [passes.quantize.default] says otherwise
  /// key (op type, layer name or regex) -> config, in file order.
  std::vector<std::pair<std::string, LayerQuantConfig>> entries;
  std::string source = "<code>";  ///< file (or "<string>") the config came from

  /// The config of a layer and the key that chose it ("default"; "-" for layers that are
  /// never quantized such as BatchNorm). `names` = the layer's name then its aliases.
  struct Resolved {
    LayerQuantConfig config;
    std::string key;
  };
  Resolved resolve(const std::vector<std::string>& names, const std::string& op_type) const;

  /// Fails when an entry can never apply: an unknown op type (by type), a name no layer has
  /// (by name), a regex no layer matches (by regex_name). `layers` = (names, op type) per layer.
  void check_against(
      const std::vector<std::pair<std::vector<std::string>, std::string>>& layers) const;

  /// Every layer of type `op` (or everything, op = "default") with `config`.
  QuantConfig& set(const std::string& key, LayerQuantConfig config);
  void describe(std::ostream& os) const;
};

/// Parses [passes.quantize] from TOML text; `source` names it in errors.
QuantConfig parse_quant_toml(std::string_view text, std::string_view source = "<string>");
/// Reads a file; fails naming the path when it cannot be read.
QuantConfig load_quant_toml(const std::string& path);

}  // namespace nnc::quant
