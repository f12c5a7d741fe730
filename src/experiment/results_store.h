#pragma once
// The results database: one SQLite file (WAL) per output directory, one row per run.
// Every write is a single transaction, so a killed process never leaves half a row;
// several processes may write to one database at once.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/run_record.h"

struct sqlite3;

namespace nnc::experiment {

class ResultsStore {
 public:
  /// Opens (creating if needed) `<dir>/results.db`. Errors name the path and the cause.
  explicit ResultsStore(const std::string& dir);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  const std::string& path() const { return path_; }
  /// Inserts or replaces the row for record.id (one transaction).
  void put(const RunRecord& record);
  std::optional<RunRecord> get(const std::string& id) const;
  bool is_completed(const std::string& id) const;
  /// All runs, optionally of one kind, in start order.
  std::vector<RunRecord> list(const std::string& kind = "") const;
  /// Copies runs from another database; a completed row wins over a running/failed one,
  /// and an existing completed row is kept. Returns the number of rows added or upgraded.
  int merge_from(const std::string& other_db_path);
  /// PRAGMA integrity_check == "ok".
  bool integrity_ok() const;

 private:
  void exec(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace nnc::experiment
