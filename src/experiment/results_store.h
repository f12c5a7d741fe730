#pragma once
// The results database: one SQLite file (WAL) per output directory. Two tables:
//  - runs: one row per run id, the run's result. A completed row is never downgraded: no
//    later attempt (failed, killed, or completed again) rewrites it; reports and exports
//    read this table.
//  - attempts: one row per execution of a run id (attempt 1, 2, ...), with its own status,
//    metrics, device, precision, threads, host and pid. A re-run of a completed run
//    (`<kind> --rerun`) lives here beside the completed result.
// Every write is a single transaction, so a killed process never leaves half a row;
// several processes may write to one database at once. Databases written before the
// attempts table existed are migrated in place when opened (PRAGMA user_version 0 -> 1).
// Version 2 marks run ids of the current identity scheme (the kind's options + the selected
// plug-ins'; docs/engine.md). A version-1 database with runs is still read by every
// command, but recording into it (or merging it) is refused until `results migrate`
// re-keys its runs (rekey()): old and new ids must never mix in one database.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/run_record.h"

struct sqlite3;

namespace nnc::experiment {

class ResultsStore {
 public:
  /// CreateIfMissing: for commands that record runs. ExistingOnly: for commands that only
  /// read (list, export, report): a missing database is an error and nothing is created.
  enum class Open { CreateIfMissing, ExistingOnly };
  /// Opens `<dir>/results.db`. Errors name the path and the cause.
  explicit ResultsStore(const std::string& dir, Open mode = Open::CreateIfMissing);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  const std::string& path() const { return path_; }
  /// Inserts or replaces the run row of record.id (one transaction), except that a
  /// completed row is never replaced by a running or failed one.
  void put(const RunRecord& record);

  struct AttemptStart {
    int attempt = 0;              ///< 1 for the first execution of this id
    bool completed_before = false; ///< the run row is completed: this attempt stays beside it
  };
  /// Records the start of a new attempt of record.id (running; record.attempt and record.pid
  /// are set here) and, unless the run is already completed, marks the run row running.
  AttemptStart begin_attempt(RunRecord& record);
  /// Records the end of the attempt record.attempt; the run row takes its result unless
  /// the run is already completed (the first completed result stays the run's result).
  void finish_attempt(const RunRecord& record);
  /// A worker process `pid` died without recording its end: its running attempt of
  /// record.id (or, when it died before starting one, a new attempt) and the run row (when
  /// not completed) are recorded as `record` says (failed, with the reason).
  void record_lost_attempt(const RunRecord& record, long pid);

  std::optional<RunRecord> get(const std::string& id) const;
  bool is_completed(const std::string& id) const;
  /// All runs, optionally of one kind, in start order.
  std::vector<RunRecord> list(const std::string& kind = "") const;
  /// Every attempt, optionally of one kind, by run (start order) then attempt number.
  std::vector<RunRecord> attempts(const std::string& kind = "") const;
  /// Copies runs and attempts from another database; a completed row wins over a
  /// running/failed one, and an existing completed row is kept. Attempts not already here
  /// are appended (renumbered after this database's). Returns the number of run rows added
  /// or upgraded. The same file under another name (symlink, ../) is refused.
  int merge_from(const std::string& other_db_path);
  /// PRAGMA integrity_check == "ok".
  bool integrity_ok() const;

  /// Whether the run ids follow the current identity scheme (schema version 2).
  bool ids_current() const;
  /// Refuses (one error line naming `results migrate`) a database whose ids are of the old
  /// scheme: recording into it would mix two kinds of ids (see the header).
  void require_current_ids() const;
  struct RekeyReport {
    int runs = 0;      ///< run rows looked at
    int changed = 0;   ///< runs whose id changed (their artifacts moved along)
    int merged = 0;    ///< runs that now share an id with another: their rows became attempts
    std::vector<std::string> kept;  ///< "id: why" for runs whose id could not be recomputed
  };
  /// Gives every run the id `new_id(run)` returns ("" = keep its id; throw to say why, it is
  /// recorded in kept). Runs that now share an id become attempts of one run (the earliest
  /// completed one keeps the run row); runs/<old>/ moves to runs/<new>/ (a merged run's to
  /// runs/<new>/merged-<old>/) and artifact paths follow. One transaction; the folders are
  /// moved back if it fails. Marks the database current.
  RekeyReport rekey(const std::function<std::string(const RunRecord&)>& new_id);

  struct TagReport {
    int tagged = 0;                 ///< runs that gained tags
    std::vector<std::string> kept;  ///< "id: why" for runs whose tags could not be computed
  };
  /// Adds to every run (and its attempts) the tags `tags_of(run)` gives that it does not
  /// have yet; a recorded tag is never changed. Throwing says why a run is left as it is
  /// (recorded in kept). One transaction.
  TagReport add_missing_tags(const std::function<std::map<std::string, std::string>(const RunRecord&)>& tags_of);

 private:
  void exec(const std::string& sql) const;
  void open(int flags);
  void migrate();
  void upsert_run(const RunRecord& r, bool replace_completed);
  void insert_attempt(const RunRecord& r);
  template <class F>
  void transaction(F&& body);
  std::string path_;
  sqlite3* db_ = nullptr;
};

/// A 'running' record whose process is gone: it ran on this host and its pid is no longer
/// alive (a SIGKILL, an OOM kill, a crash). Records of other hosts or without a pid (written
/// before pids were recorded) are never called stale.
bool is_stale(const RunRecord& r);
/// "interrupted" for a stale record, else the stored status.
std::string display_status(const RunRecord& r);

}  // namespace nnc::experiment
