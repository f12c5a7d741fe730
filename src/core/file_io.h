#pragma once
// Writes that never report success for bytes that did not reach the file. Every write and
// close is checked; a failure is one nnc::Error naming the file and the system's reason
// ("cannot write 'x.csv': No space left on device").
//
// A whole file goes to a temporary "<path>.<pid>.tmp" next to it and is renamed over <path>
// only once complete: a full disk or a crash never leaves a truncated file under the real name
// (the old content, if any, stays), and a failed write removes the temporary. Targets that are
// not regular files (/dev/stdout, /dev/full, a FIFO) cannot be renamed over and are written in
// place, still checked.
#include <cstddef>
#include <string>
#include <string_view>

namespace nnc {

/// Writes `data` as the whole content of `path`.
void write_file(const std::string& path, std::string_view data);

/// Writes `data` to standard output and flushes it: a full disk or device behind stdout is
/// an error ("cannot write to standard output: ..."), as for a named file.
void write_stdout(std::string_view data);

/// Copies the file `from` to `to`, as write_file writes.
void copy_file(const std::string& from, const std::string& to);

/// A file written in pieces (a weights file tensor by tensor), committed as write_file does.
/// Destroyed without commit() (an exception on the way), it removes its temporary.
class FileWriter {
 public:
  explicit FileWriter(const std::string& path);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(const void* data, size_t size);
  void write(std::string_view s) { write(s.data(), s.size()); }
  /// Closes the file and renames it into place; throws, temporary removed, on failure.
  void commit();

 private:
  /// Closes and removes the temporary, then throws the error for `err`.
  [[noreturn]] void abandon(int err);
  std::string path_;    ///< the name the caller asked for (in every message)
  std::string target_;  ///< what is replaced: path_, or the file a symlink path_ points to
  std::string tmp_;     ///< what is being written: target_ itself for non-regular targets
  int fd_ = -1;
};

/// Appends `text` in one piece to `fd` (opened with O_APPEND) of the file `path`: a log line
/// or a CSV row. On failure the file is cut back to its length before (no half line) and
/// the error names `path`.
void append_whole(int fd, const std::string& path, std::string_view text);

}  // namespace nnc
