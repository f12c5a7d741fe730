#include "cgp/genome.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "cgp/functions.h"
#include "core/error.h"

namespace nnc::cgp {

void Shape::validate() const {
  NNC_CHECK(inputs >= 1 && inputs <= 1'000'000,
            "cgp shape: inputs must be in 1..1000000, got {} (a problem without inputs gets "
            "one grounded input, see cgp::no_input)", inputs);
  NNC_CHECK(outputs >= 1 && outputs <= 1'000'000, "cgp shape: outputs must be in 1..1000000, got {}",
            outputs);
  NNC_CHECK(rows >= 1 && rows <= 100'000, "cgp shape: rows must be in 1..100000, got {}", rows);
  NNC_CHECK(cols >= 1 && cols <= 100'000, "cgp shape: cols must be in 1..100000, got {}", cols);
  NNC_CHECK(int64_t(rows) * cols <= 10'000'000, "cgp shape: rows*cols must be <= 1e7, got {}x{}",
            rows, cols);
  NNC_CHECK(arity == 2, "cgp shape: only gate arity 2 is supported, got {}", arity);
  NNC_CHECK(lookback >= 1 && lookback <= cols,
            "cgp shape: look-back l must be in 1..cols ({}), got {}", cols, lookback);
  NNC_CHECK(dataset_size >= 1 && dataset_size <= 10'000,
            "cgp shape: dataset_size must be in 1..10000, got {}", dataset_size);
  NNC_CHECK(int64_t(outputs) * dataset_size <= 10'000'000,
            "cgp shape: outputs*dataset_size must be <= 1e7, got {}*{}", outputs, dataset_size);
}

Genome::Genome(Shape shape) : shape_(shape) {
  shape_.validate();
  genes_.assign(shape_.gene_count(), 0);
  for (int g = 0; g < shape_.gates(); ++g) genes_[size_t(g) * 3 + 2] = kFnConst0;
}

void Genome::validate() const {
  shape_.validate();
  NNC_CHECK(genes_.size() == shape_.gene_count(), "cgp genome: expected {} genes, got {}",
            shape_.gene_count(), genes_.size());
  for (int g = 0; g < shape_.gates(); ++g) {
    const int col = g / shape_.rows;
    for (int k = 0; k < 2; ++k)
      NNC_CHECK(shape_.may_read(col, in(g, k)),
                "cgp genome: gate [{}] (column {}) input {} reads pin {}, outside its look-back "
                "(inputs 0..{} and gates of columns {}..{})",
                g + shape_.inputs, col, k, in(g, k), shape_.inputs - 1,
                shape_.first_source_col(col), col - 1);
    NNC_CHECK(is_genome_function(fn(g)),
              "cgp genome: gate [{}] has function {}, expected 0..26 or 100 (ID)",
              g + shape_.inputs, fn(g));
  }
  for (int k = 0; k < shape_.output_genes(); ++k)
    NNC_CHECK(out(k) >= 0 && out(k) < shape_.pins(),
              "cgp genome: output {} reads pin {}, expected 0..{}", k, out(k), shape_.pins() - 1);
}

std::string Genome::to_string() const {
  std::string s;
  s.reserve(genes_.size() * 5 + 64);
  auto num = [&](int64_t v) {
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, p);
  };
  s += '{';
  for (int v : {shape_.inputs, shape_.outputs, shape_.cols, shape_.rows, shape_.arity,
                shape_.lookback, shape_.dataset_size}) {
    if (s.size() > 1) s += ',';
    num(v);
  }
  s += '}';
  for (int g = 0; g < shape_.gates(); ++g) {
    s += "([";
    num(g + shape_.inputs);
    s += ']';
    num(in(g, 0));
    s += ',';
    num(in(g, 1));
    s += ',';
    num(fn(g));
    s += ')';
  }
  s += '(';
  for (int k = 0; k < shape_.output_genes(); ++k) {
    if (k) s += ',';
    num(out(k));
  }
  s += ')';
  return s;
}

namespace {

class Cursor {
 public:
  Cursor(std::string_view t, const std::string& src) : t_(t), src_(src) {}
  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
  }
  void expect(char c, const char* what) {
    skip_ws();
    if (i_ >= t_.size() || t_[i_] != c)
      fail_here(fmt::format("expected '{}' {}", c, what));
    ++i_;
  }
  int64_t integer(const char* what) {
    skip_ws();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t_.data() + i_, t_.data() + t_.size(), v);
    if (ec != std::errc() || p == t_.data() + i_)
      fail_here(fmt::format("expected an integer ({})", what));
    i_ = size_t(p - t_.data());
    return v;
  }
  bool at_end() {
    skip_ws();
    return i_ >= t_.size();
  }
  [[noreturn]] void fail_here(const std::string& msg) const {
    std::string near(t_.substr(i_, 20));
    fail("{}: character {}: {}, found {}", src_, i_,
         msg, i_ >= t_.size() ? std::string("end of text") : "'" + near + "'");
  }

 private:
  std::string_view t_;
  const std::string& src_;
  size_t i_ = 0;
};

int checked_int(Cursor& c, int64_t v, int64_t lo, int64_t hi, const char* what) {
  if (v < lo || v > hi) c.fail_here(fmt::format("{} = {} is outside {}..{}", what, v, lo, hi));
  return int(v);
}

}  // namespace

Genome Genome::parse(std::string_view text, const std::string& source) {
  Cursor c(text, source);
  Shape s;
  c.expect('{', "to open the header {I,O,cols,rows,arity,l,dataset_size}");
  const char* names[] = {"inputs", "outputs", "cols", "rows", "arity", "look-back", "dataset_size"};
  int* fields[] = {&s.inputs, &s.outputs, &s.cols, &s.rows, &s.arity, &s.lookback,
                   &s.dataset_size};
  for (int k = 0; k < 7; ++k) {
    if (k) c.expect(',', "between header fields");
    *fields[k] = checked_int(c, c.integer(names[k]), 0, 10'000'000, names[k]);
  }
  c.expect('}', "to close the header (7 fields)");
  try {
    s.validate();
  } catch (const Error& e) {
    fail("{}: bad genome header: {}", source, e.what());
  }
  // Each gate is at least "([i]a,b,f)" (10 characters) and each output gene a digit and a
  // separator: refuse a header that the text cannot fill before allocating the genes.
  const uint64_t min_chars = uint64_t(s.gates()) * 10 + uint64_t(s.output_genes()) * 2 + 1;
  NNC_CHECK(text.size() >= min_chars,
            "{}: truncated genome: the header declares {} gates and {} output genes (at least {} "
            "characters) but the text has only {}",
            source, s.gates(), s.output_genes(), min_chars, text.size());
  Genome g(s);
  for (int gate = 0; gate < s.gates(); ++gate) {
    c.expect('(', "to open a gate ([id]a,b,f)");
    c.expect('[', "before the gate id");
    const int64_t id = c.integer("gate id");
    if (id != gate + s.inputs)
      c.fail_here(fmt::format("gate id [{}] out of order, expected [{}]", id, gate + s.inputs));
    c.expect(']', "after the gate id");
    const int col = gate / s.rows;
    int32_t v[3];
    for (int k = 0; k < 3; ++k) {
      if (k) c.expect(',', "between gate genes");
      v[k] = checked_int(c, c.integer(k < 2 ? "gate input" : "gate function"), -1, 1 << 30,
                         k < 2 ? "gate input" : "gate function");
      if (k < 2 && !s.may_read(col, v[k]))
        c.fail_here(fmt::format("gate [{}] in column {} may not read pin {} (look-back {})",
                                id, col, v[k], s.lookback));
      if (k == 2 && !is_genome_function(v[k]))
        c.fail_here(fmt::format("gate [{}] has function {}, expected 0..26 or 100", id, v[k]));
    }
    c.expect(')', "to close a gate");
    g.set_gate(gate, v[0], v[1], v[2]);
  }
  c.expect('(', "to open the output genes");
  for (int k = 0; k < s.output_genes(); ++k) {
    if (k) c.expect(',', "between output genes");
    g.set_out(k, checked_int(c, c.integer("output gene"), 0, s.pins() - 1, "output pin"));
  }
  c.expect(')', fmt::format("after {} output genes (outputs*dataset_size)", s.output_genes()).c_str());
  if (!c.at_end()) c.fail_here("trailing text after the genome");
  return g;
}

Genome Genome::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  NNC_CHECK(f.good(), "cannot open genome file '{}'", path);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path);
}

}  // namespace nnc::cgp
