#include "cgp/layer_selection.h"

#include <algorithm>

#include "core/error.h"

namespace nnc::cgp {
namespace {

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1)
    parts.push_back(trimmed(s.substr(start, comma - start)));
  parts.push_back(trimmed(s.substr(start)));
  return parts;
}

const LayerShape& find_layer(const std::vector<LayerShape>& available, const std::string& name) {
  // "conv2" is accepted for "conv2.weight": the layer, as a user names it.
  for (const std::string& candidate : {name, name + ".weight"}) {
    auto it = std::find_if(available.begin(), available.end(),
                           [&](const LayerShape& l) { return l.name == candidate; });
    if (it != available.end()) return *it;
  }
  fail("cgp: the model has no conv/linear weight layer '{}'; valid layers: {}", name,
       layer_list(available));
}

}  // namespace

int64_t LayerShape::numel() const {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

std::string layer_list(const std::vector<LayerShape>& layers) {
  std::string s;
  for (const auto& l : layers) s += (s.empty() ? "" : ", ") + l.name;
  return s;
}

std::vector<LayerShape> select_layers(const std::vector<LayerShape>& available,
                                      const std::string& requested, int default_count) {
  NNC_CHECK(!available.empty(), "cgp: the model has no conv/linear weight layers to approximate");
  if (trimmed(requested).empty())
    return {available.begin(), available.begin() + std::min<ptrdiff_t>(default_count, ptrdiff_t(available.size()))};
  std::vector<LayerShape> chosen;
  for (const std::string& name : split_commas(requested)) {
    NNC_CHECK(!name.empty(), "cgp: option layers '{}' has an empty name (expected A or A,B,...)", requested);
    const LayerShape& l = find_layer(available, name);
    NNC_CHECK(std::none_of(chosen.begin(), chosen.end(), [&](auto& c) { return c.name == l.name; }),
              "cgp: layer {} is selected twice in '{}'", l.name, requested);
    chosen.push_back(l);
  }
  return chosen;
}

}  // namespace nnc::cgp
