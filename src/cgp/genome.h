#pragma once
// A CGP genome: rows x cols gates of arity 2 (column-major: gate i sits in column
// i / rows, row i % rows), then the output genes. Pins: 0..I-1 are the primary
// inputs, I + i is the output of gate i. A gate in column c reads primary inputs
// and gates of columns max(0, c - l) .. c - 1. Output genes may read any pin
// (primary inputs or gates); the evolution option outputs_read_inputs(false)
// restricts them to gates as in the original's layer-bypass experiment.
//
// With dataset_size D > 1 (several layers sharing one grid) there are O * D output
// genes: output j of layer d is gene d * O + j (one MUX per output in hardware).
//
// Text form (the original's): {I,O,cols,rows,arity,l,D}([I+0]a,b,f)([I+1]a,b,f)...(o1,...,oOD)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nnc::cgp {

struct Shape {
  int inputs = 1;
  int outputs = 1;
  int cols = 1;
  int rows = 1;
  int arity = 2;  ///< only 2 is supported (kept for the text form)
  int lookback = 1;
  int dataset_size = 1;

  int gates() const { return rows * cols; }
  int pins() const { return inputs + gates(); }
  int output_genes() const { return outputs * dataset_size; }
  size_t gate_genes() const { return size_t(gates()) * 3; }
  size_t gene_count() const { return gate_genes() + size_t(output_genes()); }
  /// First column gate i (column c) may read.
  int first_source_col(int col) const { return col > lookback ? col - lookback : 0; }
  /// Number of pins a gate of column `col` may read.
  int source_count(int col) const { return inputs + (col - first_source_col(col)) * rows; }
  /// The k-th readable pin of column `col`, k < source_count(col).
  int source_pin(int col, int k) const {
    return k < inputs ? k : inputs + first_source_col(col) * rows + (k - inputs);
  }
  bool may_read(int col, int pin) const {
    if (pin < 0) return false;
    if (pin < inputs) return true;
    return pin >= inputs + first_source_col(col) * rows && pin < inputs + col * rows;
  }
  /// Throws nnc::Error naming the bad field; limits keep gene_count() in int range.
  void validate() const;
  bool operator==(const Shape&) const = default;
};

class Genome {
 public:
  Genome() = default;
  /// All gates (0, 0, const 0) reading pin 0, outputs on pin 0. Validates the shape.
  explicit Genome(Shape shape);

  const Shape& shape() const { return shape_; }
  std::vector<int32_t>& genes() { return genes_; }
  const std::vector<int32_t>& genes() const { return genes_; }

  int32_t in(int gate, int k) const { return genes_[size_t(gate) * 3 + k]; }
  int32_t fn(int gate) const { return genes_[size_t(gate) * 3 + 2]; }
  int32_t out(int k) const { return genes_[shape_.gate_genes() + k]; }
  void set_gate(int gate, int32_t a, int32_t b, int32_t f) {
    genes_[size_t(gate) * 3] = a;
    genes_[size_t(gate) * 3 + 1] = b;
    genes_[size_t(gate) * 3 + 2] = f;
  }
  void set_out(int k, int32_t pin) { genes_[shape_.gate_genes() + k] = pin; }

  /// Checks every gene against look-back, function ids and pin ranges.
  void validate() const;
  std::string to_string() const;
  /// Parses the text form; errors name `source` and the character offset.
  static Genome parse(std::string_view text, const std::string& source = "<genome>");
  static Genome load(const std::string& path);

  bool operator==(const Genome&) const = default;

 private:
  Shape shape_;
  std::vector<int32_t> genes_;
};

/// Gene position helpers.
inline bool is_output_gene(const Shape& s, size_t idx) { return idx >= s.gate_genes(); }
inline int gene_gate(size_t idx) { return int(idx / 3); }
inline int gene_slot(size_t idx) { return int(idx % 3); }  ///< 0, 1 inputs; 2 function

}  // namespace nnc::cgp
