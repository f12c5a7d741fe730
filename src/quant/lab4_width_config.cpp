#include "quant/lab4_width_config.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/toml_parse.h"

namespace nnc::quant {
namespace {

/// A number (a fixed multiplier) or a list of numbers (the choices).
std::vector<double> multipliers_at(const toml::node& n, const std::string& where) {
  std::vector<double> out;
  if (n.is_number()) return {*n.value<double>()};
  const toml::array* a = n.as_array();
  NNC_CHECK(a != nullptr && !a->empty(), "{}: expected a multiplier or a non-empty list of them "
            "(e.g. [1, 2, 3, 4, 5])", where);
  for (auto& x : *a) {
    NNC_CHECK(x.is_number(), "{}: expected numbers in the list", where);
    out.push_back(*x.value<double>());
  }
  return out;
}

const toml::table& config_table(const toml::node& node, const std::string& where) {
  const toml::table* t = node.as_table();
  const toml::table* c = t ? t->get_as<toml::table>("config") : nullptr;
  NNC_CHECK(c != nullptr, "{}: expected a [{}.config] table (Lab 4 writes "
            "\"<node>\": {{\"config\": {{...}}}})", where, where);
  return *c;
}

/// `default` may only leave the other layers as they are (the lab's name = None).
void check_default(const toml::node& node, const std::string& where) {
  const toml::table& c = config_table(node, where);
  for (auto& [k, v] : c) {
    const std::string key(k.str());
    NNC_CHECK(key == "name", "{}.config.{}: the default entry takes only name = \"NA\"", where, key);
    const std::string name = v.value<std::string>().value_or("?");
    NNC_CHECK(name == "NA" || name == "None" || name == "none" || name.empty(),
              "{}.config.name: '{}': layers not listed keep their width (write \"NA\", the lab's "
              "None)", where, name);
  }
}

struct Lab4Layer {
  std::string name;                        ///< output_only | both | input_only
  const toml::node *shared = nullptr, *in = nullptr, *out = nullptr;
};

Lab4Layer read_layer(const toml::node& node, const std::string& where) {
  Lab4Layer l;
  for (auto& [k, v] : config_table(node, where)) {
    const std::string key(k.str());
    if (key == "name") l.name = v.value<std::string>().value_or("");
    else if (key == "channel_multiplier") l.shared = &v;
    else if (key == "channel_multiplier_input") l.in = &v;
    else if (key == "channel_multiplier_output") l.out = &v;
    else fail("{}.config.{}: unknown key: expected name, channel_multiplier, "
              "channel_multiplier_input or channel_multiplier_output", where, key);
  }
  NNC_CHECK(l.name == "output_only" || l.name == "both" || l.name == "input_only",
            "{}.config.name: '{}': expected output_only, both or input_only", where, l.name);
  NNC_CHECK(!(l.shared && (l.in || l.out)), "{}.config: give channel_multiplier (uniform) or "
            "channel_multiplier_input/_output (per layer), not both", where);
  return l;
}

}  // namespace

void parse_lab4_width_config(const toml::table& config, WidthSearchOptions& w, const std::string& where) {
  bool uniform = false, per_layer = false;
  std::vector<double> shared;  // the uniform mode's one list
  w.layers.clear();
  for (auto& [key, node] : toml_in_file_order(config)) {
    const std::string at = where + "." + key;
    if (key == "by") {
      NNC_CHECK(node->value<std::string>().value_or("") == "name", "{}: Lab 4 configs choose layers "
                "by \"name\" (node names such as seq_blocks_2)", at);
      continue;
    }
    if (key == "default") {
      check_default(*node, at);
      continue;
    }
    const Lab4Layer l = read_layer(*node, at);
    const bool widens_output = l.name != "input_only";
    if (const toml::node* in = l.shared ? l.shared : l.in) {
      multipliers_at(*in, at + ".config.channel_multiplier_input");
      if (l.name != "output_only")
        w.notes.push_back(fmt::format("{}: its input multiplier follows the previous layer's "
                                      "output (in = out of the layer before)", key));
    }
    if (!widens_output) continue;
    const toml::node* out = l.shared ? l.shared : l.out;
    NNC_CHECK(out != nullptr, "{}.config: name = \"{}\" widens the output: give "
              "channel_multiplier_output (or channel_multiplier)", at, l.name);
    auto choices = multipliers_at(*out, at + ".config.channel_multiplier" + (l.shared ? "" : "_output"));
    if (l.shared) {
      NNC_CHECK(shared.empty() || shared == choices, "{}.config.channel_multiplier: one multiplier "
                "is shared by every layer (uniform): give every layer the same list", at);
      shared = choices;
      uniform = true;
    } else {
      per_layer = true;
    }
    w.layers[key] = choices;
  }
  NNC_CHECK(!(uniform && per_layer), "{}: channel_multiplier (one shared multiplier) and "
            "channel_multiplier_output (one per layer) cannot be mixed", where);
  NNC_CHECK(!w.layers.empty(), "{}: no layer is widened (give a node with name = \"output_only\" "
            "or \"both\")", where);
  w.mode = uniform ? WidthMode::kUniform : WidthMode::kPerLayer;
  if (uniform) w.multipliers = shared;
}

}  // namespace nnc::quant
