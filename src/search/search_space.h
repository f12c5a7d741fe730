#pragma once
// SearchSpace: an ordered list of named categorical parameters. A configuration is one
// choice index per parameter; decode() turns indices into values.
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

struct Parameter {
  std::string name;
  std::vector<Value> choices;  ///< at least one
};

class SearchSpace {
 public:
  /// Appends a parameter; fails on an empty name, a duplicate name or an empty choice list.
  SearchSpace& add(std::string name, std::vector<Value> choices);

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

  /// "name: [a, b, c]" per line, then the cardinality.
  void describe(std::ostream& os) const;

 private:
  std::vector<Parameter> params_;
};

}  // namespace nnc::search
