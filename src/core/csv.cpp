#include "core/csv.h"

#include <algorithm>

#include "core/error.h"

namespace nnc {

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  return out;
}

namespace {

/// A quoted field starting at text[pos] == '"'; pos ends past the closing quote.
std::string quoted_field(std::string_view text, size_t& pos, const std::string& where, size_t n) {
  std::string field;
  for (++pos;; ++pos) {
    NNC_CHECK(pos < text.size(), "{}: field {} has an opening quote but no closing one", where, n);
    if (text[pos] != '"') field += text[pos];
    else if (pos + 1 < text.size() && text[pos + 1] == '"') field += '"', ++pos;
    else break;
  }
  ++pos;
  NNC_CHECK(pos == text.size() || text[pos] == ',' || text[pos] == '\n' || text[pos] == '\r',
            "{}: field {}: text after the closing quote (quote the whole field)", where, n);
  return field;
}

}  // namespace

std::vector<std::string> next_csv_record(std::string_view text, size_t& pos, const std::string& where) {
  std::vector<std::string> out;
  while (true) {
    const size_t n = out.size() + 1;
    if (pos < text.size() && text[pos] == '"') {
      out.push_back(quoted_field(text, pos, where, n));
    } else {
      size_t end = std::min(text.find_first_of(",\n", pos), text.size());
      std::string_view field = text.substr(pos, end - pos);
      if (end < text.size() && text[end] == '\n' && !field.empty() && field.back() == '\r')
        field.remove_suffix(1);
      NNC_CHECK(field.find('"') == std::string_view::npos,
                "{}: field {} holds a quote but is not quoted (write it as \"...\" with \"\" inside)",
                where, n);
      out.emplace_back(field);
      pos = end;
    }
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos >= text.size()) return out;
    if (text[pos++] == '\n') return out;
    if (pos == text.size()) {  // a trailing comma at the very end: one more, empty field
      out.emplace_back();
      return out;
    }
  }
}

std::vector<std::string> parse_csv_row(std::string_view line, const std::string& where) {
  size_t pos = 0;
  auto out = next_csv_record(line, pos, where);
  NNC_CHECK(pos >= line.size(), "{}: a line break inside one row", where);
  return out;
}

}  // namespace nnc
