#include "search/search_space.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>

#include "core/error.h"

namespace nnc::search {

std::string to_string(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return fmt::format("\"{}\"", std::get<std::string>(v));
}

double numeric_value(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  fail("search space: choice {} is not a number", to_string(v));
}

bool distinct_numbers(const std::vector<Value>& choices) {
  if (choices.size() < 2) return false;
  std::vector<double> x;
  for (const Value& v : choices) {
    if (std::holds_alternative<std::string>(v)) return false;
    x.push_back(numeric_value(v));
    if (!std::isfinite(x.back())) return false;
  }
  std::sort(x.begin(), x.end());
  return std::adjacent_find(x.begin(), x.end()) == x.end();
}

bool strings_and_numbers(const std::vector<Value>& choices) {
  std::vector<Value> numbers;
  for (const Value& v : choices)
    if (!std::holds_alternative<std::string>(v)) numbers.push_back(v);
  return numbers.size() < choices.size() && distinct_numbers(numbers);
}

SearchSpace& SearchSpace::add(std::string name, std::vector<Value> choices, Order order) {
  NNC_CHECK(!name.empty(), "search space: a parameter needs a non-empty name");
  for (auto& p : params_)
    NNC_CHECK(p.name != name, "search space: parameter '{}' is defined twice", name);
  NNC_CHECK(!choices.empty(), "search space: parameter '{}' has no choices (give at least one)",
            name);
  NNC_CHECK(choices.size() <= static_cast<size_t>(std::numeric_limits<int>::max()),
            "search space: parameter '{}' has too many choices ({})", name, choices.size());
  const bool numbers = distinct_numbers(choices);
  NNC_CHECK(order != Order::kOrdered || numbers,
            "search space: parameter '{}' cannot be ordered: its choices must be distinct "
            "numbers (at least two); leave the order automatic or make it categorical",
            name);
  const bool automatic = order != Order::kCategorical;
  const bool mixed = automatic && strings_and_numbers(choices);
  params_.push_back(Parameter{std::move(name), std::move(choices), automatic && numbers, mixed});
  return *this;
}

SearchSpace& SearchSpace::set_categorical(const std::string& name) {
  Parameter& p = params_[index_of(name)];
  p.ordered = p.mixed = false;
  return *this;
}

size_t SearchSpace::index_of(const std::string& name) const {
  for (size_t i = 0; i < params_.size(); ++i)
    if (params_[i].name == name) return i;
  std::string valid;
  for (auto& p : params_) valid += (valid.empty() ? "" : ", ") + p.name;
  fail("search space: unknown parameter '{}': expected one of {}", name, valid);
}

uint64_t SearchSpace::cardinality() const {
  if (params_.empty()) return 0;
  uint64_t n = 1;
  for (auto& p : params_) {
    const uint64_t k = p.choices.size();
    if (n > std::numeric_limits<uint64_t>::max() / k) return std::numeric_limits<uint64_t>::max();
    n *= k;
  }
  return n;
}

void SearchSpace::check_index(const std::vector<int>& index) const {
  NNC_CHECK(index.size() == params_.size(),
            "search space: a configuration has {} indices but the space has {} parameters",
            index.size(), params_.size());
  for (size_t i = 0; i < index.size(); ++i)
    NNC_CHECK(index[i] >= 0 && index[i] < n_choices(i),
              "search space: parameter '{}' index {} is out of range [0, {})", params_[i].name,
              index[i], n_choices(i));
}

std::vector<Value> SearchSpace::decode(const std::vector<int>& index) const {
  check_index(index);
  std::vector<Value> out;
  out.reserve(index.size());
  for (size_t i = 0; i < index.size(); ++i) out.push_back(params_[i].choices[index[i]]);
  return out;
}

void SearchSpace::describe(std::ostream& os) const {
  for (auto& p : params_) {
    // Numbers modelled as categories are the exception worth a word in the run log.
    const bool forced = !p.ordered && !p.mixed &&
                        (distinct_numbers(p.choices) || strings_and_numbers(p.choices));
    os << p.name << (forced ? " (categorical)" : "") << ": [";
    for (size_t k = 0; k < p.choices.size(); ++k) os << (k ? ", " : "") << to_string(p.choices[k]);
    os << "]\n";
  }
  const uint64_t n = cardinality();
  os << "cardinality: "
     << (n == std::numeric_limits<uint64_t>::max() ? std::string(">= 2^64") : std::to_string(n))
     << "\n";
}

}  // namespace nnc::search
