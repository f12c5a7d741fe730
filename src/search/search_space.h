#pragma once
// SearchSpace: an ordered list of named parameters, each a list of choices. A configuration
// is one choice index per parameter; decode() turns indices into values.
//
// A parameter is `ordered` when its choices are distinct numbers (2, 4, 8 or 0.1, 0.5): a
// model-based sampler may then treat nearby values as alike (TPE models them as numbers, as
// Optuna does for suggest_int/suggest_float). It is `mixed` when strings stand beside at least
// two distinct numbers ("NA", 2, 4, 8): the numbers keep their order, the strings are
// categories. Otherwise, or when asked, it is categorical: no choice says anything about
// another (names, flags, numeric codes).
//
// Example:
//   SearchSpace space;
//   space.add("weight_width", {int64_t{2}, int64_t{4}, int64_t{8}})
//        .add("frac_width", {std::string("NA"), int64_t{2}});
#include <cstdint>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

namespace nnc::search {

/// One choice: an integer, a float or a string (e.g. "NA" = "use the default").
using Value = std::variant<int64_t, double, std::string>;

/// 8, 0.5, "NA" (strings quoted, so "8" and 8 read differently).
std::string to_string(const Value& v);

/// How a parameter's choices relate: deduced from the values, or forced.
enum class Order {
  kAuto,         ///< ordered when every choice is a number and no two are equal; mixed when
                 ///< strings stand beside at least two distinct numbers
  kOrdered,      ///< ordered; fails unless every choice is a distinct number
  kCategorical,  ///< categorical whatever the values (neither ordered nor mixed)
};

struct Parameter {
  std::string name;
  std::vector<Value> choices;  ///< at least one
  bool ordered = false;        ///< choices are distinct numbers (see the header comment)
  bool mixed = false;          ///< strings beside >= 2 distinct numbers, e.g. "NA", 2, 4
};

/// The number a choice holds; fails for a string.
double numeric_value(const Value& v);
/// True when every choice is a number and no two are equal (at least two choices).
bool distinct_numbers(const std::vector<Value>& choices);
/// True when some choices are strings and the others at least two distinct numbers.
bool strings_and_numbers(const std::vector<Value>& choices);

class SearchSpace {
 public:
  /// Appends a parameter; fails on an empty name, a duplicate name, an empty choice list or
  /// Order::kOrdered with choices that are not distinct numbers.
  SearchSpace& add(std::string name, std::vector<Value> choices, Order order = Order::kAuto);
  /// Makes parameter `name` categorical (e.g. numeric codes whose order means nothing).
  SearchSpace& set_categorical(const std::string& name);

  size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  const Parameter& operator[](size_t i) const { return params_[i]; }
  const std::vector<Parameter>& parameters() const { return params_; }
  /// Position of a parameter; fails listing the valid names when unknown.
  size_t index_of(const std::string& name) const;
  /// Number of choices of parameter i.
  int n_choices(size_t i) const { return static_cast<int>(params_[i].choices.size()); }

  /// Product of the choice counts, saturating at UINT64_MAX.
  uint64_t cardinality() const;

  /// Values of a configuration; fails when an index is out of range or the arity is wrong.
  std::vector<Value> decode(const std::vector<int>& index) const;
  /// Fails unless `index` has one in-range entry per parameter.
  void check_index(const std::vector<int>& index) const;

  /// "name: [a, b, c]" per line ("name (categorical): [...]" for numbers modelled as
  /// categories), then the cardinality.
  void describe(std::ostream& os) const;

 private:
  std::vector<Parameter> params_;
};

}  // namespace nnc::search
