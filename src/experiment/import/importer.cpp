#include "experiment/import/importer.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/hash.h"
#include "experiment/experiment_kind.h"
#include "experiment/run_identity.h"

namespace nnc::experiment {
namespace import_detail {
namespace {

/// The kind's option spelled `key` in the original (L1_alpha -> l1_alpha, num-passes -> ...).
const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& key) {
  std::string norm;
  for (char c : key) norm += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& s : specs) {
    if (s.key == norm) return &s;
    for (auto& a : s.aliases)
      if (a == norm || a == key) return &s;
  }
  return nullptr;
}

}  // namespace

RunRecord finish(Draft d) {
  NNC_CHECK(kind_registry().contains(d.kind), "import: no experiment kind '{}'", d.kind);
  const auto specs = kind_registry().create(d.kind).options;
  nlohmann::json config = nlohmann::json::object();
  std::string original;
  for (auto& [key, text] : d.options) {
    const OptionSpec* spec = find_spec(specs, key);
    OptionValue v;
    bool fits = spec != nullptr;
    if (fits) {
      try {
        v = parse_value_like(spec->default_value, text, spec->key);
        if (spec->canonical) v = spec->canonical(std::get<std::string>(v));
      } catch (const Error&) {
        fits = false;  // e.g. the original's None: kept as it was written
      }
    }
    if (fits) std::visit([&](const auto& x) { config[spec->key] = x; }, v);
    else original += (original.empty() ? "" : " ") + key + "=" + text;
  }
  RunRecord r = std::move(d.record);
  r.kind = d.kind;
  r.config_json = config.dump();
  const std::string source = std::filesystem::absolute(d.file).lexically_normal().string();
  r.tags["imported_from"] = source + (d.where.empty() ? "" : " " + d.where);
  if (!original.empty()) r.tags["original_options"] = original;
  r.id = fmt::format("{:016x}", fnv1a64("imported\n" + r.tags["imported_from"]));
  if (r.started_at.empty()) r.started_at = r.finished_at = now_iso8601();
  r.host = "imported";
  // The report's grouping, as a run of today records it, from the options the file states.
  try {
    for (auto& [key, value] : current_report_tags(r)) r.tags.emplace(key, value);
  } catch (const Error&) {
    // Options its plug-ins refuse: the report shows it under its plug-ins' names and says so.
  }
  return r;
}

}  // namespace import_detail

namespace {

enum class Format { None, CheckpointLog, PruneRunsCsv, CgpStatsCsv };

Format detect(const std::string& path) {
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  if (first.find("Opts for this training: Namespace(") != std::string::npos) return Format::CheckpointLog;
  if (first.find(",run_id,experiment_name,timestamp,run_time,") != std::string::npos) return Format::PruneRunsCsv;
  if (first.rfind("run,generation,timestamp,error,", 0) == 0) return Format::CgpStatsCsv;
  return Format::None;
}

std::vector<RunRecord> read(const std::string& path, Format f) {
  using namespace import_detail;
  switch (f) {
    case Format::CheckpointLog: return read_checkpoint_log(path);
    case Format::PruneRunsCsv: return read_prune_runs_csv(path);
    case Format::CgpStatsCsv: return read_cgp_stats_csv(path);
    default: return {};
  }
}

}  // namespace

std::vector<RunRecord> import_results(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  NNC_CHECK(fs::exists(path, ec), "import: '{}' does not exist", path);
  if (!fs::is_directory(path, ec)) {
    Format f = detect(path);
    NNC_CHECK(f != Format::None,
              "import: '{}' is none of the formats read (a checkpoint.log starting with 'Opts for this "
              "training: Namespace(', a prune runs.csv, a CGP statistics CSV)", path);
    return read(path, f);
  }
  std::vector<std::string> files;
  for (auto& e : fs::recursive_directory_iterator(path, ec))
    if (e.is_regular_file() && (e.path().extension() == ".log" || e.path().extension() == ".csv"))
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());  // a stable order: ids do not depend on it, tables do
  std::vector<RunRecord> out;
  for (auto& file : files) {
    auto runs = read(file, detect(file));
    out.insert(out.end(), runs.begin(), runs.end());
  }
  return out;
}

}  // namespace nnc::experiment
