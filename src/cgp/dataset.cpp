#include "cgp/dataset.h"

#include <array>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <ostream>
#include <sstream>

#include "core/error.h"

namespace nnc::cgp {

void Dataset::add(std::vector<int8_t> input, std::vector<int8_t> output, int scored_prefix) {
  if (in.empty() && inputs == 0 && outputs == 0) {
    inputs = int(input.size());
    outputs = int(output.size());
  }
  NNC_CHECK(int(input.size()) == inputs && int(output.size()) == outputs,
            "cgp dataset item {}: expected {} inputs and {} outputs, got {} and {}", in.size(),
            inputs, outputs, input.size(), output.size());
  if (scored_prefix < 0) scored_prefix = outputs;
  NNC_CHECK(scored_prefix <= outputs, "cgp dataset item {}: scored prefix {} > outputs {}",
            in.size(), scored_prefix, outputs);
  in.push_back(std::move(input));
  out.push_back(std::move(output));
  scored.push_back(scored_prefix);
}

void Dataset::validate() const {
  NNC_CHECK(!in.empty(), "cgp dataset: no items");
  NNC_CHECK(in.size() == out.size() && in.size() == scored.size(),
            "cgp dataset: {} input rows, {} output rows, {} scored counts", in.size(), out.size(),
            scored.size());
  NNC_CHECK(inputs >= 1, "cgp dataset: needs at least one input, got {}", inputs);
  NNC_CHECK(outputs >= 1, "cgp dataset: needs at least one output, got {}", outputs);
  for (size_t i = 0; i < in.size(); ++i) {
    NNC_CHECK(int(in[i].size()) == inputs && int(out[i].size()) == outputs,
              "cgp dataset item {}: expected {} inputs and {} outputs, got {} and {}", i, inputs,
              outputs, in[i].size(), out[i].size());
    NNC_CHECK(scored[i] >= 0 && scored[i] <= outputs, "cgp dataset item {}: scored {} not in 0..{}",
              i, scored[i], outputs);
  }
}

namespace {

/// One line of the text format: its int8 values and where 'x' ended the scored prefix.
struct DataLine {
  std::vector<int8_t> values;
  int x_at = -1;
  bool blank = false;  ///< empty or a comment
};

bool separator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == ','; }

DataLine read_line(std::string_view line, const std::string& source, size_t line_no,
                   bool output_line) {
  DataLine l;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && separator(line[i])) ++i;
    if (i >= line.size()) break;
    if (line[i] == '#' && l.values.empty() && l.x_at < 0) {
      l.blank = true;
      return l;
    }
    size_t j = i;
    while (j < line.size() && !separator(line[j])) ++j;
    std::string_view tok = line.substr(i, j - i);
    i = j;
    if (tok == "x") {
      NNC_CHECK(output_line, "{}:{}: 'x' in an input line (it may only end the scored prefix of "
                "an output line)", source, line_no);
      NNC_CHECK(l.x_at < 0, "{}:{}: second 'x' in one output line", source, line_no);
      l.x_at = int(l.values.size());
      continue;
    }
    int v = 0;
    auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    NNC_CHECK(ec == std::errc() && p == tok.data() + tok.size() && v >= -128 && v <= 127,
              "{}:{}: expected an int8 value (-128..127) or 'x', got '{}'", source, line_no,
              tok.substr(0, 32));
    l.values.push_back(int8_t(v));
  }
  l.blank = l.values.empty() && l.x_at < 0;
  return l;
}

/// An output line's scored prefix; a line that stops at 'x' is padded with 0 to `outputs`.
int scored_outputs(DataLine& l, int outputs, const std::string& source, size_t line_no, int item) {
  int scored = outputs;
  if (l.x_at >= 0) {
    scored = l.x_at;
    NNC_CHECK(int(l.values.size()) == outputs || int(l.values.size()) == l.x_at,
              "{}:{}: item {} output line has {} values, expected {} (or the scored prefix "
              "only, ending in 'x')", source, line_no, item, l.values.size(), outputs);
    NNC_CHECK(l.x_at <= outputs, "{}:{}: item {} scored prefix {} exceeds {} outputs", source,
              line_no, item, l.x_at, outputs);
    l.values.resize(size_t(outputs), 0);
  }
  NNC_CHECK(int(l.values.size()) == outputs,
            "{}:{}: item {} output line has {} values, expected {}", source, line_no, item,
            l.values.size(), outputs);
  return scored;
}

}  // namespace

Dataset parse_dataset(std::string_view text, const std::string& source, int expected_inputs,
                      int expected_outputs) {
  Dataset d;
  d.inputs = expected_inputs;
  d.outputs = expected_outputs;
  std::vector<int8_t> pending_in;
  bool have_in = false;
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    DataLine l = read_line(text.substr(pos, nl - pos), source, ++line_no, have_in);
    pos = nl + 1;
    if (l.blank) continue;
    const int item = d.size();
    if (!have_in) {
      if (d.inputs < 0) d.inputs = int(l.values.size());
      NNC_CHECK(int(l.values.size()) == d.inputs,
                "{}:{}: item {} input line has {} values, expected {}", source, line_no, item,
                l.values.size(), d.inputs);
      pending_in = std::move(l.values);
      have_in = true;
      continue;
    }
    if (d.outputs < 0) d.outputs = int(l.values.size());
    const int scored = scored_outputs(l, d.outputs, source, line_no, item);
    d.in.push_back(std::move(pending_in));
    d.out.push_back(std::move(l.values));
    d.scored.push_back(scored);
    have_in = false;
  }
  NNC_CHECK(!have_in, "{}: the last item has an input line but no output line", source);
  NNC_CHECK(d.size() > 0, "{}: no dataset items (expected an input line then an output line)",
            source);
  NNC_CHECK(d.inputs >= 1, "{}: items have no inputs (at least one is needed)", source);
  NNC_CHECK(d.outputs >= 1, "{}: items have no outputs", source);
  return d;
}

Dataset load_dataset(const std::string& path, int expected_inputs, int expected_outputs) {
  std::ifstream f(path, std::ios::binary);
  NNC_CHECK(f.good(), "cannot open cgp dataset '{}'", path);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_dataset(ss.str(), path, expected_inputs, expected_outputs);
}

void write_dataset(std::ostream& os, const Dataset& d) {
  for (int i = 0; i < d.size(); ++i) {
    for (int k = 0; k < d.inputs; ++k) os << (k ? " " : "") << int(d.in[i][k]);
    os << '\n';
    for (int k = 0; k < d.outputs; ++k) {
      if (k) os << ' ';
      if (k == d.scored[i]) os << "x ";
      os << int(d.out[i][k]);
    }
    os << '\n';
  }
}

Dataset layer_bypass(std::span<const int8_t> in_weights, std::span<const int8_t> out_weights) {
  NNC_CHECK(!in_weights.empty(), "layer_bypass: needs at least one known (input) weight");
  NNC_CHECK(!out_weights.empty(), "layer_bypass: needs at least one weight to infer");
  Dataset d;
  d.add({in_weights.begin(), in_weights.end()}, {out_weights.begin(), out_weights.end()});
  return d;
}

Dataset with_given_values(Dataset d, int n) {
  if (n <= 0) return d;
  std::array<int64_t, 256> count{};
  for (int i = 0; i < d.size(); ++i)
    for (int k = 0; k < d.scored[size_t(i)]; ++k) ++count[size_t(d.out[size_t(i)][size_t(k)] + 128)];
  std::vector<int> values;
  for (int v = -128; v < 128; ++v)
    if (count[size_t(v + 128)] > 0) values.push_back(v);
  std::stable_sort(values.begin(), values.end(),
                   [&](int a, int b) { return count[size_t(a + 128)] > count[size_t(b + 128)]; });
  values.resize(std::min(values.size(), size_t(n)));
  for (auto& in : d.in)
    for (int v : values) in.push_back(int8_t(v));
  d.inputs += int(values.size());
  return d;
}

Dataset no_input(const std::vector<std::vector<int8_t>>& weights_per_layer) {
  NNC_CHECK(!weights_per_layer.empty(), "no_input: needs at least one layer");
  size_t o = 0;
  for (auto& w : weights_per_layer) o = std::max(o, w.size());
  NNC_CHECK(o > 0, "no_input: all layers are empty");
  Dataset d;
  d.inputs = 1;
  d.outputs = int(o);
  for (auto& w : weights_per_layer) {
    std::vector<int8_t> out(w.begin(), w.end());
    out.resize(o, 0);
    d.add({0}, std::move(out), int(w.size()));
  }
  return d;
}

Dataset all_layers(const std::vector<std::vector<int8_t>>& kernels_per_layer, int side) {
  NNC_CHECK(side >= 3 && side % 2 == 1,
            "all_layers: kernels must be square with an odd side of at least 3, got {}", side);
  NNC_CHECK(!kernels_per_layer.empty(), "all_layers: needs at least one layer");
  const size_t area = size_t(side) * size_t(side), ring = 4 * size_t(side - 1);
  size_t kmax = 0;
  for (size_t l = 0; l < kernels_per_layer.size(); ++l) {
    const size_t n = kernels_per_layer[l].size();
    NNC_CHECK(n > 0 && n % area == 0,
              "all_layers: layer {} has {} weights, expected a positive multiple of {} ({}x{} "
              "kernels)", l, n, area, side, side);
    kmax = std::max(kmax, n / area);
  }
  Dataset d;
  d.inputs = int(kmax * (area - ring));
  d.outputs = int(kmax * ring);
  for (auto& w : kernels_per_layer) {
    std::vector<int8_t> in, out;
    for (size_t k = 0; k < w.size() / area; ++k) {
      const int8_t* kern = w.data() + k * area;
      for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) (in_ring(side, r, c) ? out : in).push_back(kern[r * side + c]);
    }
    const int scored = int(out.size());
    in.resize(size_t(d.inputs), 0);
    out.resize(size_t(d.outputs), 0);
    d.add(std::move(in), std::move(out), scored);
  }
  return d;
}

}  // namespace nnc::cgp
