#pragma once
// Jet-substructure classification (hls4ml's LHC jet data set, as used by MASE's JSC-Tiny).
//
// File: <data_dir>/jsc.csv (empty data_dir = <data_root()>/jsc), a CSV with a header row.
// Columns:
//  - labels: either five one-hot columns j_g,j_q,j_w,j_z,j_t (hls4ml), or one column named
//    class/label/target (else the last column) holding g,q,w,z,t (any case) or 0..4.
//    Class order: g=0, q=1, W=2, Z=3, t=4.
//  - features: the 16 high-level features. If the header names all of
//    zlogz, c1_b0_mmdt, c1_b1_mmdt, c1_b2_mmdt, c2_b1_mmdt, c2_b2_mmdt, d2_b1_mmdt,
//    d2_b2_mmdt, d2_a1_b1_mmdt, d2_a1_b2_mmdt, m2_b1_mmdt, m2_b2_mmdt, n2_b1_mmdt,
//    n2_b2_mmdt, mass_mmdt, multiplicity (with or without "j_"), those are used in that
//    order and other columns ignored; otherwise every other column is a feature and
//    there must be exactly 16. A pandas index column (empty name) is ignored.
// Processing (as MASE): exact duplicate rows dropped (first kept); shuffle with
// permutation(n, derive_seed(seed, "jsc-split")); test = ceil(20% of n) (sklearn's
// rounding), train = the rest; per-feature mean/std (population std, 1 where 0) fitted
// on train ONLY and applied to both. Features float32 [N,16], labels int64.
#include <string>
#include <utility>

#include "data/dataset.h"

namespace nnc::data {

inline constexpr int64_t kJscFeatures = 16;
inline constexpr int64_t kJscClasses = 5;

/// Rows of the CSV after validation and de-duplication (before split/standardisation).
struct JscTable {
  std::vector<std::string> feature_names;  ///< the 16 feature columns used
  torch::Tensor features;                  ///< float64 [N,16]
  torch::Tensor labels;                    ///< int64 [N]
  int64_t duplicates_dropped = 0;
};

JscTable read_jsc_csv(const std::string& path);
/// {train, test} from a table: split and standardisation as described above.
std::pair<Dataset, Dataset> split_jsc(const JscTable& table, uint64_t seed);
std::pair<Dataset, Dataset> load_jsc(const std::string& dir, uint64_t seed);

}  // namespace nnc::data
