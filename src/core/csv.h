#pragma once
// CSV as RFC 4180 writes it: fields separated by commas, a field holding a comma, quote, CR
// or LF enclosed in double quotes with its quotes doubled. One writer and one reader for every
// CSV the project writes (exports, report tables, runs.csv, trials.csv) or reads (the JSC
// data set), so a label with a comma cannot shift a column anywhere.
#include <string>
#include <string_view>
#include <vector>

namespace nnc {

/// `value` as one CSV field (quoted only when it must be).
std::string csv_field(std::string_view value);
/// Fields joined by commas, without the line end.
std::string csv_row(const std::vector<std::string>& fields);

/// The record of `text` starting at `pos` (a quoted field may span lines); advances `pos`
/// past its line end (LF or CRLF). Quoted fields come back unquoted, "" as ". Throws
/// nnc::Error (naming `where`) on a quote inside an unquoted field, text after a closing
/// quote, or an unterminated quote.
std::vector<std::string> next_csv_record(std::string_view text, size_t& pos, const std::string& where = "csv");
/// The fields of one line (no line end): next_csv_record over the whole of it.
std::vector<std::string> parse_csv_row(std::string_view line, const std::string& where = "csv");

}  // namespace nnc
