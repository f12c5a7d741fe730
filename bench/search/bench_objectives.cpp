#include "bench_objectives.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <stdexcept>

#include "core/error.h"

namespace nnc::bench {
namespace {

using search::Value;
using nlohmann::json;

double num(const Value& v) { return search::numeric_value(v); }

// The formulas, mirrored from optuna_peer.py (the check points keep the two in step).

double separable_perm(const std::vector<Value>& x) {
  double sum = 0;
  for (size_t p = 0; p < x.size(); ++p)
    sum += (5 * static_cast<int64_t>(num(x[p])) + 3 * static_cast<int64_t>(p)) % 8;
  return sum;
}

double quant_layers(const std::vector<Value>& x, const json& c) {
  double sum = 0;
  for (size_t l = 0; l < x.size(); ++l) {
    const double b = num(x[l]);
    sum += 10 * c["sensitivity"][l].get<double>() * std::pow(4.0, -b) +
           0.1 * c["size"][l].get<double>() * b;
  }
  return sum;
}

double rosenbrock(const std::vector<Value>& x) {
  double sum = 0;
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = num(x[i]), b = num(x[i + 1]);
    sum += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
  }
  return sum;
}

double rastrigin(const std::vector<Value>& x) {
  double sum = 10.0 * x.size();
  for (const Value& v : x) sum += num(v) * num(v) - 10 * std::cos(2 * std::numbers::pi * num(v));
  return sum;
}

double styblinski_tang(const std::vector<Value>& x) {
  double sum = 0;
  for (const Value& v : x) {
    const double a = num(v);
    sum += std::pow(a, 4) - 16 * a * a + 5 * a;
  }
  return 0.5 * sum;
}

double conditional(const std::vector<Value>& x, const json& c) {
  const size_t n = x.size() / 2;
  double total = 0;
  for (size_t l = 0; l < n; ++l) {
    const int64_t w = static_cast<int64_t>(num(x[l]));
    const bool na = std::holds_alternative<std::string>(x[n + l]);
    const int64_t f = na ? w / 2 : static_cast<int64_t>(num(x[n + l]));
    const int64_t overflow = std::max<int64_t>(0, c["int_bits"][l].get<int64_t>() - (w - f));
    total += 5.0 * overflow + 8 * c["sensitivity"][l].get<double>() * std::pow(2.0, -double(f)) +
             0.2 * w;
  }
  return total;
}

std::vector<double> front(const std::vector<Value>& x, const json& c) {
  double err = 0, bits = 0;
  for (size_t l = 0; l < x.size(); ++l) {
    err += c["sensitivity"][l].get<double>() * std::pow(4.0, -num(x[l]));
    bits += num(x[l]);
  }
  return {err, bits / x.size()};
}

Value value_of(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return j.get<int64_t>();
  return j.get<double>();
}

/// Adds one parameter group ("prefix" + i, count times) to the space.
void add_group(search::SearchSpace& space, const json& g) {
  const std::string type = g["type"];
  for (int i = 0; i < g["count"].get<int>(); ++i) {
    std::vector<Value> choices;
    search::Order order = search::Order::kAuto;
    if (type == "float") {
      const double low = g["low"], high = g["high"], step = g["step"];
      const int n = static_cast<int>(std::lround((high - low) / step));
      for (int k = 0; k <= n; ++k) choices.emplace_back(low + k * step);
    } else if (type == "int" || type == "na_int") {
      if (type == "na_int") choices.emplace_back(std::string("NA"));
      for (int64_t v = g["low"]; v <= g["high"].get<int64_t>(); ++v) choices.emplace_back(v);
    } else if (type == "categorical") {
      for (const json& c : g["choices"]) choices.push_back(value_of(c));
      order = search::Order::kCategorical;
    } else {
      fail("objectives.json: unknown parameter type '{}'", type);
    }
    space.add(g["prefix"].get<std::string>() + std::to_string(i), std::move(choices), order);
  }
}

}  // namespace

std::vector<double> BenchObjective::evaluate(const std::vector<Value>& x) const {
  if (formula == "separable_perm") return {separable_perm(x)};
  if (formula == "quant_layers") return {quant_layers(x, constants)};
  if (formula == "rosenbrock") return {rosenbrock(x)};
  if (formula == "rastrigin") return {rastrigin(x)};
  if (formula == "styblinski_tang") return {styblinski_tang(x)};
  if (formula == "conditional") return {conditional(x, constants)};
  if (formula == "front") return front(x, constants);
  fail("objectives.json: unknown formula '{}'", formula);
}

std::vector<BenchObjective> load_objectives(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(), "cannot read '{}': check the path", path);
  const json doc = json::parse(in);
  std::vector<BenchObjective> out;
  for (const json& o : doc["objectives"]) {
    BenchObjective b;
    b.name = o["name"];
    b.about = o.value("about", "");
    b.formula = o["formula"];
    b.n_objectives = o["n_objectives"];
    b.constants = o.value("constants", json::object());
    if (o.contains("reference")) b.reference = o["reference"].get<std::vector<double>>();
    b.f_star = o.value("f_star", 0.0);
    b.hv_star = o.value("hv_star", 0.0);
    for (const json& g : o["params"]) add_group(b.space, g);
    for (const json& point : o["checks"]) {
      std::vector<Value> x;
      for (const json& v : point["x"]) x.push_back(value_of(v));
      const std::vector<double> got = b.evaluate(x), want = point["values"];
      for (size_t k = 0; k < want.size(); ++k)
        NNC_CHECK(std::abs(got[k] - want[k]) <= 1e-9 * std::max(1.0, std::abs(want[k])),
                  "objectives.json: '{}' gives {} at a check point, the file says {}: the C++ "
                  "and Python formulas differ",
                  b.name, got[k], want[k]);
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace nnc::bench
