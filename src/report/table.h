#pragma once
// Table: rows of text cells with named columns. Every table of a report is shown in the
// HTML page and also written as `<name>.csv` next to it.
#include <string>
#include <vector>

namespace nnc::report {

struct Table {
  std::string name;   ///< file stem of the CSV: [a-z0-9_-] only
  std::string title;  ///< heading in the HTML page
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  ///< each as long as `columns`
  std::string note;   ///< one line under the table

  Table& row(std::vector<std::string> cells);
  /// RFC 4180 CSV with a header line.
  std::string to_csv() const;
  /// A <table> element (cells HTML-escaped).
  std::string to_html() const;
};

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(const std::string& s);

/// Shortest round-trip text of a number ("0.9", "1024", "nan" for NaN); `digits` > 0 rounds
/// to that many significant digits instead (tables meant for reading).
std::string format_number(double v, int digits = 0);

}  // namespace nnc::report
