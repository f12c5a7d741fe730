#include "experiment/results_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace nnc::experiment {
namespace {

const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  config TEXT NOT NULL,
  metrics TEXT NOT NULL,
  tags TEXT NOT NULL,
  series TEXT NOT NULL,
  artifacts TEXT NOT NULL,
  error TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  run_time_s REAL NOT NULL,
  host TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_kind ON runs(kind);
)";

/// A prepared statement that finalises itself.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& path) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      fail("{}: {}", path, sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  void bind(int i, const std::string& s) { sqlite3_bind_text(stmt_, i, s.c_str(), -1, SQLITE_TRANSIENT); }
  void bind(int i, double d) { sqlite3_bind_double(stmt_, i, d); }
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

const char* kColumns =
    "id, kind, status, config, metrics, tags, series, artifacts, error, started_at, finished_at, "
    "run_time_s, host";

// JSON has no NaN: nlohmann writes a NaN metric (a diverged run, a failed search trial)
// as null, so reading maps null back to NaN instead of throwing on the whole store.
double number_or_nan(const nlohmann::json& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

std::map<std::string, double> scalars_from_json(const std::string& text) {
  std::map<std::string, double> out;
  const auto doc = nlohmann::json::parse(text);  // named: items() of a temporary dangles
  for (const auto& [name, v] : doc.items()) out[name] = number_or_nan(v);
  return out;
}

std::map<std::string, std::vector<double>> series_from_json(const std::string& text) {
  std::map<std::string, std::vector<double>> out;
  const auto doc = nlohmann::json::parse(text);
  for (const auto& [name, values] : doc.items()) {
    auto& dst = out[name];
    for (const auto& v : values) dst.push_back(number_or_nan(v));
  }
  return out;
}

RunRecord read_row(const Statement& s) {
  RunRecord r;
  r.id = s.text(0);
  r.kind = s.text(1);
  r.status = status_from_string(s.text(2));
  r.config_json = s.text(3);
  r.metrics = scalars_from_json(s.text(4));
  r.tags = nlohmann::json::parse(s.text(5)).get<std::map<std::string, std::string>>();
  r.series = series_from_json(s.text(6));
  r.artifacts = nlohmann::json::parse(s.text(7)).get<std::map<std::string, std::string>>();
  r.error = s.text(8);
  r.started_at = s.text(9);
  r.finished_at = s.text(10);
  r.run_time_s = s.real(11);
  r.host = s.text(12);
  return r;
}

}  // namespace

ResultsStore::ResultsStore(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  NNC_CHECK(!ec, "cannot create output directory '{}': {}", dir, ec.message());
  path_ = (fs::path(dir) / "results.db").string();
  int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    fail("cannot open results database '{}': {}", path_, msg);
  }
  sqlite3_busy_timeout(db_, 60000);  // concurrent workers wait for each other
  try {
    // Several processes may create the same database at once (sweep workers, shards). The
    // switch to WAL and the schema need a write lock, and SQLite can answer SQLITE_BUSY
    // there without calling the busy handler (its deadlock avoidance), so those first
    // statements are retried for up to the busy timeout.
    for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", kSchema}) {
      for (int attempt = 0;; ++attempt) {
        int code = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
        if (code == SQLITE_OK) break;
        const bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
        if (!busy || attempt >= 1200) exec(sql);  // throws with SQLite's message
        sqlite3_sleep(50);
      }
    }
  } catch (const Error& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    fail("results database '{}' is not usable (read-only directory or disk full?): {}", path_, e.what());
  }
}

ResultsStore::~ResultsStore() {
  if (db_) sqlite3_close(db_);
}

void ResultsStore::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    fail("{}: {}", path_, msg);
  }
}

void ResultsStore::put(const RunRecord& r) {
  // One statement = one implicit transaction: the row is either all there or not at all.
  Statement s(db_,
              fmt::format("INSERT OR REPLACE INTO runs ({}, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,"
                          "COALESCE((SELECT seq FROM runs WHERE id = ?1), (SELECT COALESCE(MAX(seq),0)+1 FROM runs)))",
                          kColumns),
              path_);
  s.bind(1, r.id);
  s.bind(2, r.kind);
  s.bind(3, std::string(to_string(r.status)));
  s.bind(4, r.config_json);
  s.bind(5, nlohmann::json(r.metrics).dump());
  s.bind(6, nlohmann::json(r.tags).dump());
  s.bind(7, nlohmann::json(r.series).dump());
  s.bind(8, nlohmann::json(r.artifacts).dump());
  s.bind(9, r.error);
  s.bind(10, r.started_at);
  s.bind(11, r.finished_at);
  s.bind(12, r.run_time_s);
  s.bind(13, r.host);
  int rc = s.step();
  NNC_CHECK(rc == SQLITE_DONE, "cannot write run {} to '{}': {} (read-only or full disk?)", r.id,
            path_, sqlite3_errmsg(db_));
}

std::optional<RunRecord> ResultsStore::get(const std::string& id) const {
  Statement s(db_, fmt::format("SELECT {} FROM runs WHERE id = ?", kColumns), path_);
  s.bind(1, id);
  if (s.step() == SQLITE_ROW) return read_row(s);
  return std::nullopt;
}

bool ResultsStore::is_completed(const std::string& id) const {
  auto r = get(id);
  return r && r->status == RunStatus::Completed;
}

std::vector<RunRecord> ResultsStore::list(const std::string& kind) const {
  Statement s(db_,
              fmt::format("SELECT {} FROM runs {} ORDER BY seq", kColumns,
                          kind.empty() ? "" : "WHERE kind = ?"),
              path_);
  if (!kind.empty()) s.bind(1, kind);
  std::vector<RunRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_row(s));
  NNC_CHECK(rc == SQLITE_DONE, "{}: {}", path_, sqlite3_errmsg(db_));
  return out;
}

int ResultsStore::merge_from(const std::string& other) {
  NNC_CHECK(std::filesystem::exists(other), "cannot merge '{}': no such file", other);
  NNC_CHECK(std::filesystem::absolute(other) != std::filesystem::absolute(path_),
            "cannot merge '{}' into itself", other);
  int before = sqlite3_total_changes(db_);
  Statement attach(db_, "ATTACH DATABASE ? AS other", path_);
  attach.bind(1, other);
  NNC_CHECK(attach.step() == SQLITE_DONE, "cannot open '{}' for merging: {}", other, sqlite3_errmsg(db_));
  try {
    exec("BEGIN IMMEDIATE;");
    // New ids, and completed rows replacing not-completed ones; existing completed rows stay.
    exec(fmt::format(
        "INSERT OR REPLACE INTO main.runs ({0}, seq) SELECT {0}, "
        "COALESCE((SELECT m.seq FROM main.runs m WHERE m.id = o.id), "
        "(SELECT COALESCE(MAX(seq),0) FROM main.runs) + o.seq) FROM other.runs o "
        "WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.id = o.id AND "
        "(m.status = 'completed' OR o.status <> 'completed'));",
        kColumns));
    exec("COMMIT;");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    sqlite3_exec(db_, "DETACH DATABASE other;", nullptr, nullptr, nullptr);
    throw;
  }
  exec("DETACH DATABASE other;");
  return sqlite3_total_changes(db_) - before;
}

bool ResultsStore::integrity_ok() const {
  Statement s(db_, "PRAGMA integrity_check", path_);
  return s.step() == SQLITE_ROW && s.text(0) == "ok";
}

}  // namespace nnc::experiment
