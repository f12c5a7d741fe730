#pragma once
// The CGP function set: 2-input int8 gates with two's-complement wrap-around.
//
// Ids follow the original (mlorinc/cnn-cgp-compressor, int8 build):
//   0 127-a   1 a+b   2 a-b   3 a*b   4 -a (-(-128) = -128)   5 -128+a
//   6 a>>2    7 a>>1 (arithmetic)   8 a&b   9 a|b   10 a^b   11 ~a   12 a<<1
//   13 a+1    14 a-1   15 a>>3   16 a>>4   17 a>>5   18 a<<2   19 a<<3   20 a<<4
//   21 a<<5 (left shifts drop the bits shifted out)   22 const 1   23 const -1
//   24 const 0   25 const -128   26 const 127   27 MUX   28 DEMUX   100 ID (wire)
// Evolution draws functions from 0..26 plus ID; MUX/DEMUX only appear in cost
// accounting of multi-layer grids (one MUX per output).
#include <cstdint>
#include <string_view>

namespace nnc::cgp {

inline constexpr int kEvolvableFunctions = 27;  ///< ids 0..26
inline constexpr int kFnConst1 = 22, kFnConstM1 = 23, kFnConst0 = 24, kFnConstMin = 25,
                     kFnConstMax = 26;
inline constexpr int kFnMux = 27;
inline constexpr int kFnDemux = 28;
inline constexpr int kFnId = 100;

/// True for 0..28 and 100.
bool is_valid_function(int f);
/// True for the ids a genome may hold: 0..26 and ID.
bool is_genome_function(int f);
/// Inputs a function reads: 0 for constants, 1 for unary ops and ID, 2 for binary ops.
inline int function_arity(int f) {
  switch (f) {
    case 1: case 2: case 3: case 8: case 9: case 10:
      return 2;
    case 22: case 23: case 24: case 25: case 26:
      return 0;
    default:
      return 1;
  }
}
/// Short operator name ("a+b", "const 1", "ID").
std::string_view function_name(int f);

/// Applies function f (0..26 or ID) to a and b. Any other id returns 0.
[[gnu::always_inline]] constexpr int8_t apply_function(int f, int8_t a, int8_t b) {
  const int x = a, y = b;
  switch (f) {
    case 0: return static_cast<int8_t>(127 - x);
    case 1: return static_cast<int8_t>(x + y);
    case 2: return static_cast<int8_t>(x - y);
    case 3: return static_cast<int8_t>(x * y);
    case 4: return static_cast<int8_t>(-x);
    case 5: return static_cast<int8_t>(-128 + x);
    case 6: return static_cast<int8_t>(x >> 2);
    case 7: return static_cast<int8_t>(x >> 1);
    case 8: return static_cast<int8_t>(x & y);
    case 9: return static_cast<int8_t>(x | y);
    case 10: return static_cast<int8_t>(x ^ y);
    case 11: return static_cast<int8_t>(~x);
    case 12: return static_cast<int8_t>(x * 2);
    case 13: return static_cast<int8_t>(x + 1);
    case 14: return static_cast<int8_t>(x - 1);
    case 15: return static_cast<int8_t>(x >> 3);
    case 16: return static_cast<int8_t>(x >> 4);
    case 17: return static_cast<int8_t>(x >> 5);
    case 18: return static_cast<int8_t>(x * 4);
    case 19: return static_cast<int8_t>(x * 8);
    case 20: return static_cast<int8_t>(x * 16);
    case 21: return static_cast<int8_t>(x * 32);
    case 22: return 1;
    case 23: return -1;
    case 24: return 0;
    case 25: return -128;
    case 26: return 127;
    case kFnId: return a;
    default: return 0;
  }
}

namespace detail {
/// Branch-free form of apply_function: binary ops are computed side by side and
/// selected, everything else is a 256-entry table per function.
struct FunctionTables {
  uint8_t row[128];        ///< function id -> table row (unknown ids: an all-zero row)
  uint8_t select[128];     ///< function id -> 0..5 binary op (a+b, a-b, a*b, &, |, ^), 6 table
  int8_t unary[29][256];   ///< rows 0..26: functions 0..26 (binary rows unused), 27: ID, 28: zero
};
constexpr FunctionTables make_function_tables() {
  FunctionTables t{};
  for (int f = 0; f < 128; ++f) {
    t.row[f] = f <= 26 ? uint8_t(f) : (f == kFnId ? 27 : 28);
    switch (f) {
      case 1: t.select[f] = 0; break;
      case 2: t.select[f] = 1; break;
      case 3: t.select[f] = 2; break;
      case 8: t.select[f] = 3; break;
      case 9: t.select[f] = 4; break;
      case 10: t.select[f] = 5; break;
      default: t.select[f] = 6;
    }
  }
  for (int r = 0; r < 29; ++r)
    for (int a = 0; a < 256; ++a)
      t.unary[r][a] = r == 28 ? 0 : apply_function(r == 27 ? kFnId : r, int8_t(a < 128 ? a : a - 256), 0);
  return t;
}
inline constexpr FunctionTables kFunctionTables = make_function_tables();
}  // namespace detail

/// Same result as apply_function(f, a, b) for every f in 0..127 (ids >= 128: 0), without
/// a data-dependent branch. Used by the incremental evaluator.
[[gnu::always_inline]] inline int8_t apply_function_fast(int f, int8_t a, int8_t b) {
  const auto& t = detail::kFunctionTables;
  const unsigned uf = unsigned(f) & 127u;
  const int x = a, y = b;
  int8_t r[8] = {int8_t(x + y), int8_t(x - y), int8_t(x * y), int8_t(x & y), int8_t(x | y),
                 int8_t(x ^ y), t.unary[t.row[uf]][uint8_t(a)], 0};
  const int8_t v = r[t.select[uf]];
  return unsigned(f) < 128u ? v : int8_t(0);
}

}  // namespace nnc::cgp
