// Jet-substructure CSV: parse, validate every cell, de-duplicate, split, standardise.
#include "data/jsc.h"

#include <torch/torch.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "core/csv.h"
#include "core/error.h"
#include "core/seed.h"
#include "data/paths.h"

namespace fs = std::filesystem;

namespace nnc::data {
namespace {

const std::vector<std::string>& canonical_features() {
  static const std::vector<std::string> names = {
      "zlogz",         "c1_b0_mmdt",    "c1_b1_mmdt", "c1_b2_mmdt", "c2_b1_mmdt", "c2_b2_mmdt",
      "d2_b1_mmdt",    "d2_b2_mmdt",    "d2_a1_b1_mmdt", "d2_a1_b2_mmdt", "m2_b1_mmdt",
      "m2_b2_mmdt",    "n2_b1_mmdt",    "n2_b2_mmdt", "mass_mmdt", "multiplicity"};
  return names;
}
const std::vector<std::string> kOneHot = {"j_g", "j_q", "j_w", "j_z", "j_t"};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}
std::vector<std::string> split_csv(const std::string& line, const std::string& where) {
  auto cells = parse_csv_row(line, where);
  for (auto& c : cells) c = trim(c);
  return cells;
}
std::string strip_j(const std::string& name) {
  const std::string l = lower(name);
  return l.rfind("j_", 0) == 0 ? l.substr(2) : l;
}

/// Column roles decided from the header.
struct Layout {
  std::vector<size_t> features;  ///< column index of each of the 16 features
  std::vector<size_t> one_hot;   ///< 5 columns, or empty
  size_t label = 0;              ///< single label column when one_hot is empty
  size_t columns = 0;
};

Layout layout_from_header(const std::string& path, const std::vector<std::string>& header) {
  Layout L;
  L.columns = header.size();
  std::vector<std::string> names;
  for (const auto& h : header) names.push_back(lower(h));
  auto find = [&](const std::string& n) {
    auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? std::string::npos : size_t(it - names.begin());
  };
  std::vector<bool> used(header.size(), false);
  for (const auto& n : kOneHot) {
    const size_t c = find(n);
    if (c == std::string::npos) break;
    L.one_hot.push_back(c);
  }
  if (L.one_hot.size() != kOneHot.size()) {
    L.one_hot.clear();
    L.label = std::string::npos;
    for (const char* n : {"class", "label", "target"})
      if (L.label == std::string::npos) L.label = find(n);
    if (L.label == std::string::npos) L.label = header.size() - 1;
    used[L.label] = true;
  } else {
    for (size_t c : L.one_hot) used[c] = true;
  }
  for (size_t c = 0; c < header.size(); ++c)
    if (names[c].empty() || names[c] == "index" || names[c] == "unnamed: 0") used[c] = true;
  // Prefer the canonical 16 by name; else all remaining columns.
  for (const auto& f : canonical_features()) {
    size_t hit = std::string::npos;
    for (size_t c = 0; c < header.size(); ++c)
      if (!used[c] && strip_j(header[c]) == f) hit = c;
    if (hit == std::string::npos) {
      L.features.clear();
      break;
    }
    L.features.push_back(hit);
  }
  if (L.features.empty()) {
    for (size_t c = 0; c < header.size(); ++c)
      if (!used[c]) L.features.push_back(c);
    NNC_CHECK(static_cast<int64_t>(L.features.size()) == kJscFeatures,
              "{}:1: header has {} feature columns besides the label column(s), expected 16 "
              "(or the 16 named hls4ml features)",
              path, L.features.size());
  }
  return L;
}

double parse_number(const std::string& cell, const std::string& path, int64_t line, size_t col,
                    const std::string& col_name) {
  double v = 0;
  const char* end = cell.data() + cell.size();
  auto [p, ec] = std::from_chars(cell.data(), end, v);
  NNC_CHECK(!cell.empty() && ec == std::errc() && p == end && std::isfinite(v),
            "{}:{}: column {} ('{}'): '{}' is not a finite number", path, line, col + 1,
            col_name, cell);
  return v;
}

int64_t parse_label(const std::string& cell, const std::string& path, int64_t line, size_t col,
                    const std::string& col_name) {
  static const std::vector<std::string> letters = {"g", "q", "w", "z", "t"};
  const std::string l = lower(cell);
  for (size_t k = 0; k < letters.size(); ++k)
    if (l == letters[k] || l == std::to_string(k)) return static_cast<int64_t>(k);
  fail("{}:{}: column {} ('{}'): label '{}' is not one of g,q,W,Z,t or 0..4", path, line,
       col + 1, col_name, cell);
}

}  // namespace

JscTable read_jsc_csv(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(),
            "jsc: cannot open {}; export hls4ml's jet-substructure data set (OpenML "
            "'hls4ml_lhc_jets_hlf', or the hls4ml .z file with j_g..j_t one-hot columns) "
            "to this CSV, or set data_dir to the folder holding jsc.csv",
            path);
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line) && trim(line).empty()) ++line_no;
  ++line_no;
  NNC_CHECK(!trim(line).empty(), "{}: empty file, expected a header row", path);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto header = split_csv(line, fmt::format("{}:{}", path, line_no));
  const Layout L = layout_from_header(path, header);

  JscTable t;
  for (size_t c : L.features) t.feature_names.push_back(header[c]);
  std::vector<double> feats;
  std::vector<int64_t> labels;
  std::unordered_set<std::string> seen;  // exact duplicate rows: key = bits of all values
  std::vector<double> row(kJscFeatures);
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    const auto cells = split_csv(line, fmt::format("{}:{}", path, line_no));
    NNC_CHECK(cells.size() == L.columns, "{}:{}: {} columns, expected {} as in the header", path,
              line_no, cells.size(), L.columns);
    for (size_t k = 0; k < L.features.size(); ++k) {
      const size_t c = L.features[k];
      row[k] = parse_number(cells[c], path, line_no, c, header[c]) + 0.0;  // -0 -> +0
    }
    int64_t y = -1;
    if (!L.one_hot.empty()) {
      int ones = 0;
      for (size_t k = 0; k < L.one_hot.size(); ++k) {
        const size_t c = L.one_hot[k];
        const double v = parse_number(cells[c], path, line_no, c, header[c]);
        NNC_CHECK(v == 0.0 || v == 1.0, "{}:{}: column {} ('{}'): one-hot value {}, expected 0 or 1",
                  path, line_no, c + 1, header[c], cells[c]);
        if (v == 1.0) ++ones, y = static_cast<int64_t>(k);
      }
      NNC_CHECK(ones == 1, "{}:{}: {} of the one-hot columns j_g..j_t are 1, expected exactly one",
                path, line_no, ones);
    } else {
      y = parse_label(cells[L.label], path, line_no, L.label, header[L.label]);
    }
    std::string key(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(double));
    key.append(reinterpret_cast<const char*>(&y), sizeof(y));
    if (!seen.insert(std::move(key)).second) {
      ++t.duplicates_dropped;
      continue;
    }
    feats.insert(feats.end(), row.begin(), row.end());
    labels.push_back(y);
  }
  const auto n = static_cast<int64_t>(labels.size());
  NNC_CHECK(n >= 2, "{}: {} data rows, expected at least 2", path, n);
  t.features = torch::from_blob(feats.data(), {n, kJscFeatures}, torch::kFloat64).clone();
  t.labels = torch::from_blob(labels.data(), {n}, torch::kLong).clone();
  return t;
}

std::pair<Dataset, Dataset> split_jsc(const JscTable& table, uint64_t seed) {
  const int64_t n = table.labels.size(0);
  const int64_t n_test = static_cast<int64_t>(std::ceil(0.2 * static_cast<double>(n)));
  auto order = torch::tensor(permutation(n, derive_seed(seed, "jsc-split")), torch::kLong);
  auto tr = order.narrow(0, 0, n - n_test), te = order.narrow(0, n - n_test, n_test);
  auto xtr = table.features.index_select(0, tr), xte = table.features.index_select(0, te);
  // Scaler fitted on the training part only (as sklearn's StandardScaler: ddof 0).
  auto mean = xtr.mean(0, true);
  auto sd = xtr.std(0, /*unbiased=*/false, true);
  sd = torch::where(sd > 0, sd, torch::ones_like(sd));
  auto make = [&](const torch::Tensor& x, const torch::Tensor& idx) {
    Dataset d;
    d.name = "jsc";
    d.inputs = ((x - mean) / sd).to(torch::kFloat32);
    d.targets = table.labels.index_select(0, idx);
    d.num_classes = kJscClasses;
    return d;
  };
  return {make(xtr, tr), make(xte, te)};
}

std::pair<Dataset, Dataset> load_jsc(const std::string& dir, uint64_t seed) {
  const std::string path = (fs::path(dir_or(dir, data_root() + "/jsc")) / "jsc.csv").string();
  return split_jsc(read_jsc_csv(path), seed);
}

}  // namespace nnc::data
