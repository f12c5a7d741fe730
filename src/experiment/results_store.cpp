#include "experiment/results_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/text.h"

namespace nnc::experiment {
namespace {

// Version 0: the runs table as first released. Every database starts here and is then
// migrated (migrate()), so a new database and an old one follow the same path.
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

// Version 1: the attempts table (every execution of a run id) and, on runs, which attempt
// the row holds and the pid that wrote it. Existing rows become attempt 1 of their id.
// Only added columns and a new table: a binary built before it still reads and writes.
const char* kMigrationV1 = R"(
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
CREATE TABLE attempts (
  id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
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
  pid INTEGER NOT NULL DEFAULT 0,
  device TEXT NOT NULL DEFAULT '',
  precision TEXT NOT NULL DEFAULT '',
  threads INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (id, attempt)
);
INSERT INTO attempts (id, attempt, kind, status, config, metrics, tags, series, artifacts, error,
                      started_at, finished_at, run_time_s, host, device, precision, threads)
  SELECT id, 1, kind, status, config, metrics, tags, series, artifacts, error, started_at,
         finished_at, run_time_s, host, COALESCE(json_extract(config, '$.device'), ''),
         COALESCE(json_extract(config, '$.precision'), ''), COALESCE(json_extract(config, '$.threads'), 0)
  FROM runs;
PRAGMA user_version = 1;
)";
// Version 2: no table changes; the ids are of the current identity scheme. A database with
// runs reaches it only through rekey() (`results migrate`), an empty one at once.
constexpr int kSchemaVersion = 2;
constexpr int kCurrentIdsVersion = 2;

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
  void bind_int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// The columns runs and attempts share, in read_row's order.
const char* kColumns =
    "id, kind, status, config, metrics, tags, series, artifacts, error, started_at, finished_at, "
    "run_time_s, host, attempt, pid";
// Version 0's columns (what a database of any version has).
const char* kColumnsV0 =
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
  r.attempt = static_cast<int>(s.integer(13));
  r.pid = static_cast<long>(s.integer(14));
  return r;
}

/// Binds a record's 15 kColumns values to ?1..?15.
void bind_record(Statement& s, const RunRecord& r) {
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
  s.bind_int(14, r.attempt);
  s.bind_int(15, r.pid);
}

std::string this_host() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return host;
}

/// SQLite can answer SQLITE_BUSY without calling the busy handler (its deadlock avoidance,
/// e.g. while several processes create or migrate one database), so statements that take
/// the write lock first are retried for up to the busy timeout (1200 x 50 ms).
int exec_retrying(sqlite3* db, const char* sql) {
  for (int attempt = 0;; ++attempt) {
    int code = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    const bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    if (!busy || attempt >= 1200) return code;
    sqlite3_sleep(50);
  }
}

/// The single integer a parameterless query returns (COUNT(*)).
int64_t query_count(sqlite3* db, const std::string& path, const char* sql) {
  Statement s(db, sql, path);
  NNC_CHECK(s.step() == SQLITE_ROW, "{}: {}", path, sqlite3_errmsg(db));
  return s.integer(0);
}

}  // namespace

ResultsStore::ResultsStore(const std::string& dir, Open mode) {
  namespace fs = std::filesystem;
  path_ = (fs::path(dir) / "results.db").string();
  if (mode == Open::ExistingOnly) {
    // Read-only commands must not leave an empty database behind a mistyped --out.
    std::error_code ec;
    NNC_CHECK(fs::is_regular_file(path_, ec), "no results database at '{}' (give the --out the runs "
              "wrote to)", path_);
    open(SQLITE_OPEN_READWRITE);
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    NNC_CHECK(!ec, "cannot create output directory '{}': {}", dir, ec.message());
    open(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  }
}

void ResultsStore::open(int flags) {
  int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    fail("cannot open results database '{}': {}", path_, msg);
  }
  sqlite3_busy_timeout(db_, 60000);  // concurrent workers wait for each other
  try {
    // Several processes may create the same database at once (sweep workers, shards).
    for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", kSchema})
      if (exec_retrying(db_, sql) != SQLITE_OK) exec(sql);  // throws with SQLite's message
    migrate();
  } catch (const Error& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    fail("results database '{}' is not usable (read-only directory or disk full?): {}", path_, e.what());
  }
}

template <class F>
void ResultsStore::transaction(F&& body) {
  // IMMEDIATE: the write lock up front, so two writers never deadlock upgrading read locks.
  if (exec_retrying(db_, "BEGIN IMMEDIATE;") != SQLITE_OK) exec("BEGIN IMMEDIATE;");
  try {
    body();
    exec("COMMIT;");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    throw;
  }
}

void ResultsStore::migrate() {
  auto version = [&] {
    Statement s(db_, "PRAGMA user_version", path_);
    return s.step() == SQLITE_ROW ? s.integer(0) : 0;
  };
  if (version() >= kSchemaVersion) return;
  // Runs under old ids stay as they are until `results migrate` (rekey) re-keys them.
  if (version() >= 1 && query_count(db_, path_, "SELECT COUNT(*) FROM runs") > 0) return;
  // Re-read inside the write transaction: another process may have migrated meanwhile.
  transaction([&] {
    if (version() < 1) exec(kMigrationV1);
    if (version() < kCurrentIdsVersion && query_count(db_, path_, "SELECT COUNT(*) FROM runs") == 0)
      exec(fmt::format("PRAGMA user_version = {};", kCurrentIdsVersion));
  });
}

bool ResultsStore::ids_current() const {
  Statement s(db_, "PRAGMA user_version", path_);
  return s.step() == SQLITE_ROW && s.integer(0) >= kCurrentIdsVersion;
}

void ResultsStore::require_current_ids() const {
  NNC_CHECK(ids_current(), "{}: its run ids were computed by an older nncompress (every option "
            "hashed, device not): run `nncompress results migrate --out {}` once to re-key them "
            "(every result and artifact is kept), then run again",
            path_, std::filesystem::path(path_).parent_path().string());
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

void ResultsStore::upsert_run(const RunRecord& r, bool replace_completed) {
  // One statement: the row is either all there or not at all. A new id gets the next seq
  // (start order); an existing row keeps its seq. The WHERE clause is the store's promise:
  // a completed row is never downgraded (and, unless asked, never replaced at all).
  Statement s(db_,
              fmt::format("INSERT INTO runs ({0}, seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
                          "(SELECT COALESCE(MAX(seq),0)+1 FROM runs)) "
                          "ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, status=excluded.status, "
                          "config=excluded.config, metrics=excluded.metrics, tags=excluded.tags, "
                          "series=excluded.series, artifacts=excluded.artifacts, error=excluded.error, "
                          "started_at=excluded.started_at, finished_at=excluded.finished_at, "
                          "run_time_s=excluded.run_time_s, host=excluded.host, attempt=excluded.attempt, "
                          "pid=excluded.pid WHERE runs.status <> 'completed' OR "
                          "(?16 AND excluded.status = 'completed')",
                          kColumns),
              path_);
  bind_record(s, r);
  s.bind_int(16, replace_completed ? 1 : 0);
  int rc = s.step();
  NNC_CHECK(rc == SQLITE_DONE, "cannot write run {} to '{}': {} (read-only or full disk?)", r.id,
            path_, sqlite3_errmsg(db_));
}

void ResultsStore::insert_attempt(const RunRecord& r) {
  nlohmann::json config = nlohmann::json::parse(r.config_json.empty() ? "{}" : r.config_json);
  Statement s(db_,
              fmt::format("INSERT INTO attempts ({}, device, precision, threads) VALUES "
                          "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
                          kColumns),
              path_);
  bind_record(s, r);
  s.bind(16, config.value("device", std::string()));
  s.bind(17, config.value("precision", std::string()));
  s.bind_int(18, config.value("threads", int64_t{0}));
  NNC_CHECK(s.step() == SQLITE_DONE, "cannot record attempt {} of run {} in '{}': {} (read-only or "
            "full disk?)", r.attempt, r.id, path_, sqlite3_errmsg(db_));
}

void ResultsStore::put(const RunRecord& r) {
  require_current_ids();
  upsert_run(r, true);
}

namespace {
/// One integer from a query with one text parameter (NULL: `otherwise`); the statement is
/// finished before the caller writes.
int64_t query_int(sqlite3* db, const std::string& path, const std::string& sql,
                  const std::string& param, int64_t otherwise) {
  Statement s(db, sql, path);
  s.bind(1, param);
  int rc = s.step();
  NNC_CHECK(rc == SQLITE_ROW || rc == SQLITE_DONE, "{}: {}", path, sqlite3_errmsg(db));
  return rc == SQLITE_ROW && !s.is_null(0) ? s.integer(0) : otherwise;
}

const char* kNextAttempt = "SELECT MAX(attempt) + 1 FROM attempts WHERE id = ?";
}  // namespace

ResultsStore::AttemptStart ResultsStore::begin_attempt(RunRecord& r) {
  require_current_ids();
  AttemptStart start;
  transaction([&] {
    r.attempt = static_cast<int>(query_int(db_, path_, kNextAttempt, r.id, 1));
    r.pid = static_cast<long>(::getpid());
    start.attempt = r.attempt;
    start.completed_before = is_completed(r.id);
    insert_attempt(r);
    upsert_run(r, false);
  });
  return start;
}

void ResultsStore::finish_attempt(const RunRecord& r) {
  transaction([&] {
    Statement s(db_,
                "UPDATE attempts SET status=?3, config=?4, metrics=?5, tags=?6, series=?7, "
                "artifacts=?8, error=?9, finished_at=?11, run_time_s=?12 WHERE id=?1 AND attempt=?14",
                path_);
    bind_record(s, r);
    NNC_CHECK(s.step() == SQLITE_DONE, "cannot record the end of attempt {} of run {} in '{}': {}",
              r.attempt, r.id, path_, sqlite3_errmsg(db_));
    upsert_run(r, false);
  });
}

void ResultsStore::record_lost_attempt(const RunRecord& record, long pid) {
  RunRecord r = record;
  r.pid = pid;
  if (r.host.empty()) r.host = this_host();  // the sweep and its workers share a host
  transaction([&] {
    const int64_t running = query_int(
        db_, path_,
        fmt::format("SELECT MAX(attempt) FROM attempts WHERE id = ? AND pid = {} AND status = 'running'", pid),
        r.id, 0);
    if (running > 0) {
      r.attempt = static_cast<int>(running);
      Statement s(db_, "UPDATE attempts SET status=?3, error=?9, finished_at=?11 WHERE id=?1 AND attempt=?14",
                  path_);
      bind_record(s, r);
      NNC_CHECK(s.step() == SQLITE_DONE, "{}: {}", path_, sqlite3_errmsg(db_));
    } else {  // it died before recording its start (a bad option, a crash at start-up)
      r.attempt = static_cast<int>(query_int(db_, path_, kNextAttempt, r.id, 1));
      insert_attempt(r);
    }
    upsert_run(r, false);
  });
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

std::vector<RunRecord> ResultsStore::attempts(const std::string& kind) const {
  Statement s(db_,
              fmt::format("SELECT {} FROM attempts {} ORDER BY (SELECT seq FROM runs r WHERE r.id = "
                          "attempts.id), id, attempt",
                          kColumns, kind.empty() ? "" : "WHERE kind = ?"),
              path_);
  if (!kind.empty()) s.bind(1, kind);
  std::vector<RunRecord> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_row(s));
  NNC_CHECK(rc == SQLITE_DONE, "{}: {}", path_, sqlite3_errmsg(db_));
  return out;
}

namespace {

/// The attached database's schema version: a source written before attempts existed
/// (version 0) has neither the attempts table nor runs.attempt/pid, and merging must not
/// write to it to migrate it.
int attached_version(sqlite3* db, const std::string& path) {
  Statement s(db, "PRAGMA other.user_version", path);
  return s.step() == SQLITE_ROW ? static_cast<int>(s.integer(0)) : 0;
}

/// The source's attempts as rows of the attempts table; a version 0 source's runs rows
/// stand for its attempts (attempt 1, as migrating it would make them).
std::string source_attempts_sql(int version) {
  if (version >= 1)
    return fmt::format("SELECT {}, device, precision, threads FROM other.attempts", kColumns);
  return fmt::format(
      "SELECT {}, 1 AS attempt, 0 AS pid, COALESCE(json_extract(config, '$.device'), '') AS device, "
      "COALESCE(json_extract(config, '$.precision'), '') AS precision, "
      "COALESCE(json_extract(config, '$.threads'), 0) AS threads FROM other.runs",
      kColumnsV0);
}

}  // namespace

int ResultsStore::merge_from(const std::string& other) {
  namespace fs = std::filesystem;
  std::error_code ec;
  NNC_CHECK(fs::is_regular_file(other, ec), "cannot merge '{}': no such file", other);
  // The same file under another spelling (../, a symlink, a bind mount): ATTACHing it would
  // wait on its own lock for the busy timeout and then fail.
  NNC_CHECK(!fs::equivalent(other, path_, ec), "cannot merge '{}' into '{}': it is the same "
            "database file (merge other result folders into --out)", other, path_);
  Statement attach(db_, "ATTACH DATABASE ? AS other", path_);
  attach.bind(1, other);
  NNC_CHECK(attach.step() == SQLITE_DONE, "cannot open '{}' for merging: {}", other, sqlite3_errmsg(db_));
  int runs_changed = 0;
  try {
    require_current_ids();
    const int version = attached_version(db_, path_);
    NNC_CHECK(version >= kCurrentIdsVersion || query_count(db_, path_, "SELECT COUNT(*) FROM other.runs") == 0,
              "cannot merge '{}': its run ids were computed by an older nncompress: run `nncompress "
              "results migrate --out {}` on it first", other, fs::path(other).parent_path().string());
    transaction([&] {
      // New ids, and completed rows replacing not-completed ones; existing completed rows stay.
      exec(fmt::format(
          "INSERT OR REPLACE INTO main.runs ({0}, attempt, pid, seq) SELECT {0}, {1}, "
          "COALESCE((SELECT m.seq FROM main.runs m WHERE m.id = o.id), "
          "(SELECT COALESCE(MAX(seq),0) FROM main.runs) + o.seq) FROM other.runs o "
          "WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.id = o.id AND "
          "(m.status = 'completed' OR o.status <> 'completed'));",
          kColumnsV0, version >= 1 ? "o.attempt, o.pid" : "1, 0"));
      runs_changed = sqlite3_changes(db_);
      // Attempts not here yet (same id, start, host and pid), numbered after this
      // database's attempts of their id: merging twice adds nothing.
      exec(fmt::format(
          "INSERT INTO main.attempts ({0}, device, precision, threads) SELECT s.id, s.kind, s.status, "
          "s.config, s.metrics, s.tags, s.series, s.artifacts, s.error, s.started_at, s.finished_at, "
          "s.run_time_s, s.host, (SELECT COALESCE(MAX(a.attempt), 0) FROM main.attempts a WHERE a.id = "
          "s.id) + ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY s.attempt), s.pid, s.device, "
          "s.precision, s.threads FROM ({1}) s WHERE NOT EXISTS (SELECT 1 FROM main.attempts a WHERE "
          "a.id = s.id AND a.started_at = s.started_at AND a.host = s.host AND a.pid = s.pid);",
          kColumns, source_attempts_sql(version)));
      // A merged run row names its attempt by this database's numbering.
      exec("UPDATE main.runs SET attempt = COALESCE((SELECT MIN(a.attempt) FROM main.attempts a "
           "WHERE a.id = runs.id AND a.started_at = runs.started_at AND a.host = runs.host AND "
           "a.status = runs.status), attempt);");
    });
  } catch (...) {
    sqlite3_exec(db_, "DETACH DATABASE other;", nullptr, nullptr, nullptr);
    throw;
  }
  exec("DETACH DATABASE other;");
  return runs_changed;
}

namespace {

bool is_plain_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
  });
}

/// Where one run goes when re-keyed: its new id, the folder its artifacts move to, and the
/// attempt numbers its attempts are shifted by (a merged run's come after the kept run's).
struct RekeyMove {
  std::string old_id, new_id, dest_dir;  ///< dest_dir relative to the output folder
  bool merged = false;
};

/// The moves of rekey(): runs in start order; the first completed run of each new id (else
/// the first) keeps the run row, the others are merged into it.
std::vector<RekeyMove> plan_rekey(const std::vector<RunRecord>& runs,
                                  const std::function<std::string(const RunRecord&)>& new_id,
                                  ResultsStore::RekeyReport& report) {
  std::map<std::string, std::vector<std::pair<const RunRecord*, std::string>>> by_new;
  std::vector<std::string> order;
  for (auto& r : runs) {
    std::string id;
    try {
      // Ids go into SQL and folder names: only the hex digits run ids are made of.
      NNC_CHECK(is_plain_id(r.id), "not a run id this tool wrote");
      id = new_id(r);
      NNC_CHECK(id.empty() || is_plain_id(id), "the new id '{}' is not a run id", shown(id));
    } catch (const Error& e) {
      report.kept.push_back(r.id + ": " + e.what());
      id.clear();
    }
    if (id.empty()) id = r.id;
    if (by_new[id].empty()) order.push_back(id);
    by_new[id].emplace_back(&r, id);
  }
  std::vector<RekeyMove> moves;
  for (auto& id : order) {
    auto& group = by_new[id];
    auto keeper = std::find_if(group.begin(), group.end(),
                               [](auto& g) { return g.first->status == RunStatus::Completed; });
    if (keeper == group.end()) keeper = group.begin();
    if (keeper->first->id != id) moves.push_back({keeper->first->id, id, "runs/" + id, false});
    for (auto it = group.begin(); it != group.end(); ++it)
      if (it != keeper) moves.push_back({it->first->id, id, "runs/" + id + "/merged-" + it->first->id, true});
  }
  return moves;
}

/// SQL that rewrites a row's artifact paths from runs/<old>/ to dest_dir/.
std::string moved_artifacts_sql(const RekeyMove& m) {
  return fmt::format("replace(artifacts, '\"runs/{}/', '\"{}/')", m.old_id, m.dest_dir);
}

}  // namespace

ResultsStore::RekeyReport ResultsStore::rekey(const std::function<std::string(const RunRecord&)>& new_id) {
  namespace fs = std::filesystem;
  RekeyReport report;
  const auto runs = list();
  report.runs = static_cast<int>(runs.size());
  const auto moves = plan_rekey(runs, new_id, report);
  const fs::path out = fs::path(path_).parent_path();
  std::vector<std::pair<fs::path, fs::path>> moved;  // done folder moves, undone on failure
  try {
    for (auto& m : moves) {
      fs::path from = out / "runs" / m.old_id, to = out / m.dest_dir;
      if (!fs::exists(from)) continue;
      NNC_CHECK(!fs::exists(to), "cannot move '{}' to '{}': the target exists", from.string(), to.string());
      fs::create_directories(to.parent_path());
      fs::rename(from, to);
      moved.emplace_back(from, to);
    }
    transaction([&] {
      // Through temporary ids first: a new id may be another run's old one.
      for (auto& m : moves)
        for (const char* table : {"runs", "attempts"})
          exec(fmt::format("UPDATE {} SET id = '~{}', artifacts = {} WHERE id = '{}';", table, m.old_id,
                           moved_artifacts_sql(m), m.old_id));
      for (auto& m : moves) {
        // A merged run's attempts are numbered after those of the run it joins.
        exec(fmt::format("UPDATE attempts SET id = '{0}', attempt = attempt + {1} WHERE id = '~{2}';", m.new_id,
                         m.merged ? fmt::format("(SELECT COALESCE(MAX(attempt), 0) FROM attempts WHERE id = '{}')",
                                                m.new_id)
                                  : std::string("0"),
                         m.old_id));
        exec(m.merged ? fmt::format("DELETE FROM runs WHERE id = '~{}';", m.old_id)
                      : fmt::format("UPDATE runs SET id = '{}' WHERE id = '~{}';", m.new_id, m.old_id));
      }
      exec(fmt::format("PRAGMA user_version = {};", kCurrentIdsVersion));
    });
  } catch (...) {
    for (auto it = moved.rbegin(); it != moved.rend(); ++it) {
      std::error_code ec;
      fs::rename(it->second, it->first, ec);
    }
    throw;
  }
  for (auto& m : moves) (m.merged ? report.merged : report.changed)++;
  return report;
}

ResultsStore::TagReport ResultsStore::add_missing_tags(
    const std::function<std::map<std::string, std::string>(const RunRecord&)>& tags_of) {
  TagReport report;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> additions;  // id -> new tags
  for (const auto& r : list()) {
    std::map<std::string, std::string> more;
    try {
      for (auto& [key, value] : tags_of(r))
        if (!r.tags.count(key)) more[key] = value;
    } catch (const std::exception& e) {
      report.kept.push_back(r.id + ": " + bounded_message(e.what()));
      continue;
    }
    if (!more.empty()) additions.emplace_back(r.id, std::move(more));
  }
  transaction([&] {
    for (auto& [id, more] : additions)
      for (const char* table : {"runs", "attempts"}) {
        // json_patch keeps every recorded key and adds the new ones (checked absent above).
        Statement s(db_, fmt::format("UPDATE {} SET tags = json_patch(?1, tags) WHERE id = ?2", table), path_);
        s.bind(1, nlohmann::json(more).dump());
        s.bind(2, id);
        NNC_CHECK(s.step() == SQLITE_DONE, "cannot tag run {} in '{}': {} (read-only or full disk?)", id, path_,
                  sqlite3_errmsg(db_));
      }
  });
  report.tagged = static_cast<int>(additions.size());
  return report;
}

bool ResultsStore::integrity_ok() const {
  Statement s(db_, "PRAGMA integrity_check", path_);
  return s.step() == SQLITE_ROW && s.text(0) == "ok";
}

bool is_stale(const RunRecord& r) {
  if (r.status != RunStatus::Running || r.pid <= 0 || r.host != this_host()) return false;
  // Signal 0 checks existence only. A reused pid makes a dead run look alive: the row then
  // stays 'running' until its next attempt, which is the safe side.
  return ::kill(static_cast<pid_t>(r.pid), 0) != 0 && errno == ESRCH;
}

std::string display_status(const RunRecord& r) {
  return is_stale(r) ? "interrupted" : to_string(r.status);
}

}  // namespace nnc::experiment
