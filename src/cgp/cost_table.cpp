#include "cgp/cost_table.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "cgp/functions.h"
#include "core/error.h"

namespace nnc::cgp {

CostTable CostTable::unit_default() {
  // Unit-cost model, in "adder equivalents" (see data/cgp/default_costs.txt):
  //   wire/constant/shift 0, inversion/xor-class logic 1, add/sub/negate/increment 2,
  //   multiply 8, MUX 2, DEMUX 2. Delays: logic 1, add 2, multiply 4, constants/shifts 0.
  static constexpr std::string_view text = R"(
    2 2 2 2 2   # 0 127-a
    2 2 2 2 2   # 1 a+b
    2 2 2 2 2   # 2 a-b
    8 8 8 4 4   # 3 a*b
    2 2 2 2 2   # 4 -a
    1 1 1 1 1   # 5 -128+a (flip the sign bit)
    0 0 0 0 0   # 6 a>>2
    0 0 0 0 0   # 7 a>>1
    1 1 1 1 1   # 8 a&b
    1 1 1 1 1   # 9 a|b
    1 1 1 1 1   # 10 a^b
    1 1 1 1 1   # 11 ~a
    0 0 0 0 0   # 12 a<<1
    2 2 2 2 2   # 13 a+1
    2 2 2 2 2   # 14 a-1
    0 0 0 0 0   # 15 a>>3
    0 0 0 0 0   # 16 a>>4
    0 0 0 0 0   # 17 a>>5
    0 0 0 0 0   # 18 a<<2
    0 0 0 0 0   # 19 a<<3
    0 0 0 0 0   # 20 a<<4
    0 0 0 0 0   # 21 a<<5
    0 0 0 0 0   # 22 const 1
    0 0 0 0 0   # 23 const -1
    0 0 0 0 0   # 24 const 0
    0 0 0 0 0   # 25 const -128
    0 0 0 0 0   # 26 const 127
    2 2 2 1 1   # 27 MUX
    2 2 2 1 1   # 28 DEMUX
  )";
  return parse(text, "<built-in unit costs>");
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

CostTable CostTable::parse(std::string_view text, const std::string& source) {
  CostTable t;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (auto h = line.find('#'); h != std::string_view::npos) line = line.substr(0, h);
    line = trim(line);
    if (line.empty()) continue;
    NNC_CHECK(t.count_ < 29,
              "{}:{}: more than 29 cost lines (ids 0..26, then optional MUX 27 and DEMUX 28)",
              source, line_no);
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ',')) ++i;
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != ',') ++j;
      if (j > i) fields.push_back(line.substr(i, j - i));
      i = j;
    }
    const int id = t.count_;
    NNC_CHECK(fields.size() == 5,
              "{}:{}: function {} ({}): expected 5 fields 'q_energy energy area q_delay delay', "
              "got {}", source, line_no, id, function_name(id), fields.size());
    static const char* names[] = {"q_energy", "energy", "area", "q_delay", "delay"};
    double real[5];
    int64_t integer[5] = {};
    for (int k = 0; k < 5; ++k) {
      const std::string_view f = fields[k];
      if (k == 0 || k == 3) {
        auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), integer[k]);
        NNC_CHECK(ec == std::errc() && p == f.data() + f.size() && integer[k] >= 0 &&
                      integer[k] <= (int64_t(1) << 40),
                  "{}:{}: function {} ({}): {} must be an integer in 0..2^40, got '{}'", source,
                  line_no, id, function_name(id), names[k], f);
        real[k] = double(integer[k]);
      } else {
        auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), real[k]);
        NNC_CHECK(ec == std::errc() && p == f.data() + f.size() && std::isfinite(real[k]) &&
                      real[k] >= 0 && real[k] <= 1e12,
                  "{}:{}: function {} ({}): {} must be a finite number in 0..1e12, got '{}'",
                  source, line_no, id, function_name(id), names[k], f);
      }
    }
    t.costs_[id] = FunctionCost{integer[0], real[1], real[2], integer[3], real[4]};
    ++t.count_;
  }
  NNC_CHECK(t.count_ >= kEvolvableFunctions,
            "{}: {} cost lines, expected at least 27 (function ids 0..26, one line each, "
            "'q_energy energy area q_delay delay')", source, t.count_);
  return t;
}

CostTable CostTable::load(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  NNC_CHECK(f.good(), "cannot open cost table '{}' (see data/cgp/default_costs.txt for the format)",
            path);
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path);
}

std::string CostTable::to_string() const {
  std::string s;
  for (int i = 0; i < count_; ++i)
    s += fmt::format("{} {} {} {} {}  # {} {}\n", costs_[i].q_energy, costs_[i].energy,
                     costs_[i].area, costs_[i].q_delay, costs_[i].delay, i, function_name(i));
  return s;
}

}  // namespace nnc::cgp
