#pragma once
// CGP datasets: each item is a vector of I int8 inputs and O int8 target outputs;
// only a prefix of each item's outputs is scored (the rest is "don't care", used to
// pad layers of different sizes that share one grid).
//
// Text format (the original's input file): per item a line of I integers, then a line
// of O integers. In the output line the token `x` ends the scored prefix: values after
// it are not scored; if the line stops at `x` the unscored tail is filled with 0.
// Values must lie in -128..127; blank lines and lines starting with '#' are skipped.
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nnc::cgp {

struct Dataset {
  int inputs = 0;
  int outputs = 0;
  std::vector<std::vector<int8_t>> in;   ///< per item, size inputs
  std::vector<std::vector<int8_t>> out;  ///< per item, size outputs
  std::vector<int> scored;               ///< per item, scored prefix length (<= outputs)

  int size() const { return int(in.size()); }
  void add(std::vector<int8_t> input, std::vector<int8_t> output, int scored_prefix = -1);
  /// Throws nnc::Error if the sizes disagree.
  void validate() const;
};

/// Parses the text format. expected_inputs/outputs < 0: taken from the first item.
Dataset parse_dataset(std::string_view text, const std::string& source = "<dataset>",
                      int expected_inputs = -1, int expected_outputs = -1);
Dataset load_dataset(const std::string& path, int expected_inputs = -1, int expected_outputs = -1);
void write_dataset(std::ostream& os, const Dataset& d);

// --- The three experiments of the original, built from int8 weight arrays. ---

/// Layer bypass: infer all of `out_weights` from the known `in_weights` (one item).
/// LeNet-5 benchmark: 150 inputs -> 2400 outputs.
Dataset layer_bypass(std::span<const int8_t> in_weights, std::span<const int8_t> out_weights);

/// No input ("le_selector"): each layer's weights are produced from nothing; one item per
/// layer, outputs padded to the largest layer (unscored tail). The grid gets one grounded
/// input (value 0 in every item), so first-column gates have a source; it carries no
/// information. Use with multiplexing.
Dataset no_input(const std::vector<std::vector<int8_t>>& weights_per_layer);

/// "Missing weights": the `n` most frequent distinct scored target values of `d` (ties: the
/// smaller value first) appended to every item's inputs as constants the circuit may wire
/// instead of computing (under multiplexing their table entries are locked to them). With
/// every distinct value given the circuit is pure wiring. n <= 0: `d` unchanged; n above
/// the distinct count gives them all.
Dataset with_given_values(Dataset d, int n);

/// All layers: per layer a flat array of side x side kernels (size a multiple of side^2, side
/// odd >= 3); the inner (side-2)^2 weights of each kernel are the inputs, the outer ring of
/// 4(side-1) (row-major order) the outputs. The original's 5x5: 9 in, 16 out; 3x3: the centre
/// in, 8 out. One item per layer; inputs padded with 0, outputs padded and unscored.
Dataset all_layers(const std::vector<std::vector<int8_t>>& kernels_per_layer, int side = 5);
/// Whether (row, col) of a side x side kernel lies on its outer ring.
inline bool in_ring(int side, int row, int col) {
  return row == 0 || col == 0 || row == side - 1 || col == side - 1;
}

}  // namespace nnc::cgp
