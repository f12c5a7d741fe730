#include "quant/quant_config.h"

#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <algorithm>
#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>
#include <toml++/toml.h>

#include "core/error.h"
#include "core/toml_parse.h"

namespace nnc::quant {
namespace {

const std::vector<std::string> kFields = {
    "name",         "data_in_width",      "data_in_frac_width", "weight_width",
    "weight_frac_width", "bias_width",    "bias_frac_width",    "data_out_width",
    "data_out_frac_width"};

int as_int(const FieldValue& v, const std::string& where) {
  if (auto* i = std::get_if<int64_t>(&v)) {
    NNC_CHECK(*i >= -64 && *i <= 64, "{}: {} is out of range (expected a bit count)", where, *i);
    return static_cast<int>(*i);
  }
  fail("{}: expected an integer number of bits, got {}", where, search::to_string(v));
}

/// frac field: an integer or "NA" (= width // 2); absent = "NA".
std::optional<int> as_frac(const FieldValue* v, const std::string& where) {
  if (!v) return std::nullopt;
  if (auto* s = std::get_if<std::string>(v)) {
    NNC_CHECK(*s == "NA", "{}: expected an integer or \"NA\" (= width // 2), got \"{}\"", where, *s);
    return std::nullopt;
  }
  return as_int(*v, where);
}

bool full_match(const std::string& pattern, const std::string& text) {
  return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
}

}  // namespace

const std::vector<std::string>& quantizable_op_types() {
  static const std::vector<std::string> ops = {"linear", "conv2d", "relu"};
  return ops;
}

bool is_quantizable(const std::string& op_type) {
  const auto& ops = quantizable_op_types();
  return std::find(ops.begin(), ops.end(), op_type) != ops.end();
}

std::string LayerQuantConfig::describe() const {
  if (!quantized()) return "float";
  std::string s = name;
  auto add = [&](const char* tag, const std::optional<FixedPoint>& f) {
    if (f) s += fmt::format(" {} {}", tag, f->describe());
  };
  add("in", data_in);
  add("w", weight);
  add("b", bias);
  add("out", data_out);
  return s;
}

LayerQuantConfig LayerQuantConfig::integer(int data_in_width, int weight_width, int bias_width) {
  LayerQuantConfig c;
  c.name = "integer";
  c.data_in = FixedPoint(data_in_width);
  c.weight = FixedPoint(weight_width);
  c.bias = FixedPoint(bias_width);
  return c;
}

LayerQuantConfig layer_config_from_fields(
    const std::vector<std::pair<std::string, FieldValue>>& fields, const std::string& where) {
  std::vector<std::pair<std::string, const FieldValue*>> seen;
  auto find = [&](const std::string& key) -> const FieldValue* {
    for (auto& [k, v] : seen)
      if (k == key) return v;
    return nullptr;
  };
  for (auto& [k, v] : fields) {
    NNC_CHECK(std::find(kFields.begin(), kFields.end(), k) != kFields.end(),
              "{}.{}: unknown field: expected one of {}", where, k, fmt::join(kFields, ", "));
    NNC_CHECK(find(k) == nullptr, "{}.{}: given twice", where, k);
    seen.emplace_back(k, &v);
  }
  LayerQuantConfig c;
  if (const FieldValue* n = find("name")) {
    auto* s = std::get_if<std::string>(n);
    NNC_CHECK(s != nullptr, "{}.name: expected a string (\"NA\", \"integer\" or "
              "\"integer_floor\"), got {}", where, search::to_string(*n));
    NNC_CHECK(*s == "NA" || *s == "integer" || *s == "integer_floor",
              "{}.name: unknown quantizer \"{}\": expected \"NA\" (float), \"integer\" or "
              "\"integer_floor\"", where, *s);
    c.name = *s;
  } else {
    fail("{}: missing name (\"NA\" to keep the layer in float, or \"integer\")", where);
  }
  if (!c.quantized()) return c;  // widths next to "NA" are ignored, as in MASE
  const bool floor = c.name == "integer_floor";
  auto format = [&](const std::string& prefix) -> std::optional<FixedPoint> {
    const FieldValue* w = find(prefix + "_width");
    const FieldValue* f = find(prefix + "_frac_width");
    if (!w) {
      NNC_CHECK(f == nullptr || std::holds_alternative<std::string>(*f),
                "{}.{}_frac_width: given without {}_width (add {}_width = <bits>)", where, prefix,
                prefix, prefix);
      return std::nullopt;
    }
    FixedPoint fp(as_int(*w, where + "." + prefix + "_width"),
                  as_frac(f, where + "." + prefix + "_frac_width"));
    fp.floor = floor;
    fp.validate(where + "." + prefix);
    return fp;
  };
  c.data_in = format("data_in");
  c.weight = format("weight");
  c.bias = format("bias");
  c.data_out = format("data_out");
  return c;
}

ConfigBy parse_config_by(std::string_view text, const std::string& where) {
  if (text == "type") return ConfigBy::kType;
  if (text == "name") return ConfigBy::kName;
  if (text == "regex_name") return ConfigBy::kRegexName;
  fail("{}: unknown value \"{}\": expected \"type\", \"name\" or \"regex_name\"", where, text);
}

std::string to_string(ConfigBy by) {
  switch (by) {
    case ConfigBy::kType: return "type";
    case ConfigBy::kName: return "name";
    case ConfigBy::kRegexName: return "regex_name";
  }
  return "?";
}

QuantConfig::Resolved QuantConfig::resolve(const std::vector<std::string>& names,
                                           const std::string& op_type) const {
  if (!is_quantizable(op_type)) return {LayerQuantConfig{}, "-"};
  for (auto& [key, cfg] : entries) {
    bool hit = false;
    switch (by) {
      case ConfigBy::kType: hit = key == op_type; break;
      case ConfigBy::kName: hit = std::find(names.begin(), names.end(), key) != names.end(); break;
      case ConfigBy::kRegexName:
        hit = std::any_of(names.begin(), names.end(), [&pattern = key](const std::string& n) {
          return full_match(pattern, n);
        });
        break;
    }
    if (hit) return {cfg, key};
  }
  return {default_config, "default"};
}

void QuantConfig::check_against(
    const std::vector<std::pair<std::vector<std::string>, std::string>>& layers) const {
  std::vector<std::string> all_names;
  for (auto& [names, op] : layers)
    if (is_quantizable(op)) all_names.push_back(names.front());
  for (auto& [key, cfg] : entries) {
    bool hit = false;
    for (auto& [names, op] : layers) {
      switch (by) {
        case ConfigBy::kType:
          NNC_CHECK(is_quantizable(key),
                    "{}: passes.quantize.{}: \"{}\" is not a quantizable op type: expected one "
                    "of {} (or by = \"name\" for layer names)",
                    source, key, key, fmt::join(quantizable_op_types(), ", "));
          hit = hit || key == op;
          break;
        case ConfigBy::kName:
          if (std::find(names.begin(), names.end(), key) != names.end()) {
            NNC_CHECK(is_quantizable(op), "{}: passes.quantize.{}: layer {} is a {}, which is "
                      "never quantized (quantizable: {})", source, key, key, op,
                      fmt::join(quantizable_op_types(), ", "));
            hit = true;
          }
          break;
        case ConfigBy::kRegexName:
          // (an init-capture: clang before 16 cannot capture the structured binding `key`)
          hit = hit || (is_quantizable(op) &&
                        std::any_of(names.begin(), names.end(),
                                    [&pattern = key](const std::string& n) {
                                      return full_match(pattern, n);
                                    }));
          break;
      }
    }
    if (by == ConfigBy::kName)
      NNC_CHECK(hit, "{}: passes.quantize.{}: no quantizable layer of that name (layers: {})",
                source, key, fmt::join(all_names, ", "));
    if (by == ConfigBy::kRegexName)
      NNC_CHECK(hit, "{}: passes.quantize.\"{}\": the pattern matches no quantizable layer "
                "(layers: {})", source, key, fmt::join(all_names, ", "));
  }
}

QuantConfig& QuantConfig::set(const std::string& key, LayerQuantConfig config) {
  if (key == "default") {
    default_config = std::move(config);
    return *this;
  }
  for (auto& [k, c] : entries)
    if (k == key) {
      c = std::move(config);
      return *this;
    }
  entries.emplace_back(key, std::move(config));
  return *this;
}

void QuantConfig::describe(std::ostream& os) const {
  os << "quantize by " << to_string(by) << " (" << source << ")\n";
  for (auto& [k, c] : entries) os << "  " << k << ": " << c.describe() << "\n";
  os << "  default: " << default_config.describe() << "\n";
}

QuantConfig parse_quant_toml(std::string_view text, std::string_view source) {
  toml::table root = parse_toml(text, source);
  const std::string src(source);
  auto* passes = root.get_as<toml::table>("passes");
  auto* quantize = passes ? passes->get_as<toml::table>("quantize") : nullptr;
  NNC_CHECK(quantize != nullptr, "{}: missing [passes.quantize] table (see "
            "examples/quant/jsc_toy_by_type.toml)", src);
  QuantConfig cfg;
  cfg.source = src;
  const toml::node* by = quantize->get("by");
  NNC_CHECK(by != nullptr, "{}: passes.quantize.by: missing (by = \"type\", \"name\" or "
            "\"regex_name\")", src);
  NNC_CHECK(by->is_string(), "{}: passes.quantize.by: expected a string", src);
  cfg.by = parse_config_by(*by->value<std::string>(), src + ": passes.quantize.by");
  for (auto& [key, node] : toml_in_file_order(*quantize)) {
    const std::string at = "passes.quantize." + key;
    if (key == "by") continue;
    if (key == "report") continue;  // MASE's flag for printing the result; the CLI has --report
    const toml::table* entry = node->as_table();
    NNC_CHECK(entry != nullptr, "{}: {}: expected a table [{}.config] (keys of "
              "[passes.quantize]: by, default and op types or layer names)", src, at, at);
    const toml::table* config = entry->get_as<toml::table>("config");
    NNC_CHECK(config != nullptr && entry->size() == 1,
              "{}: {}: expected exactly one sub-table [{}.config]", src, at, at);
    if (cfg.by == ConfigBy::kRegexName && key != "default") {
      try {
        std::regex re(key, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        fail("{}: {}: invalid regular expression: {}", src, at, e.what());
      }
    }
    std::vector<std::pair<std::string, FieldValue>> fields;
    for (auto& [field, v] : toml_in_file_order(*config)) {
      const std::string fat = at + ".config." + field;
      if (v->is_integer()) fields.emplace_back(field, *v->value<int64_t>());
      else if (v->is_floating_point()) fields.emplace_back(field, *v->value<double>());
      else if (v->is_string()) fields.emplace_back(field, *v->value<std::string>());
      else fail("{}: {}: expected an integer or a string", src, fat);
    }
    cfg.set(key, layer_config_from_fields(fields, src + ": " + at + ".config"));
  }
  return cfg;
}

QuantConfig load_quant_toml(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(), "cannot read quantization config '{}': check the path", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_quant_toml(ss.str(), path);
}

}  // namespace nnc::quant
