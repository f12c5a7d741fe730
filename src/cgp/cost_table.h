#pragma once
// Per-function hardware costs. File format (the original's): one line per function
// id, in id order, five fields
//     q_energy energy area q_delay delay
// q_energy and q_delay are non-negative integers (selection compares them); energy,
// area and delay are finite non-negative reals (reported). Lines for ids 0..26 are
// required; a 28th line (MUX, id 27) and a 29th (DEMUX, id 28) are optional. Blank
// lines and text after '#' are ignored. ID (100) always costs 0.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace nnc::cgp {

struct FunctionCost {
  int64_t q_energy = 0;
  double energy = 0;
  double area = 0;
  int64_t q_delay = 0;
  double delay = 0;
};

class CostTable {
 public:
  /// Unit-cost model used when no synthesis figures are given (see data/cgp/default_costs.txt).
  static CostTable unit_default();
  static CostTable parse(std::string_view text, const std::string& source = "<costs>");
  static CostTable load(const std::string& path);

  /// Cost of function f (0..28; ID and anything else cost 0).
  const FunctionCost& operator[](int f) const {
    static const FunctionCost zero{};
    return (f >= 0 && f < int(costs_.size())) ? costs_[f] : zero;
  }
  bool has_mux() const { return count_ > 27; }
  int count() const { return count_; }
  std::string to_string() const;

 private:
  std::array<FunctionCost, 29> costs_{};
  int count_ = 0;
};

/// Costs of a phenotype (active gates only).
struct Costs {
  int64_t q_energy = 0;
  double energy = 0;
  double area = 0;
  int64_t q_delay = 0;
  double delay = 0;
  int depth = 0;       ///< gates on the longest path (ID not counted)
  int gate_count = 0;  ///< active gates other than ID (+ one MUX per output when D > 1)
};

}  // namespace nnc::cgp
