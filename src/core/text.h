#pragma once
// User-given text as messages and records show it. A value can hold anything (a TOML string
// may carry NUL or terminal escape sequences, a file 10 MB of one line): echoed raw it would
// cut a message short at the NUL, repaint the user's terminal, or fill the error line and the
// results database. Header-only: error.h uses it and must stay link-free.
#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace nnc {

/// Control characters (C0, DEL, and C1 encoded as UTF-8) written as escapes: "\0", "\n",
/// "\t", "\r", "\x1b", "\u009b". Backslashes stay as they are, so escaping twice changes
/// nothing (a message wrapped in another message is escaped once).
inline std::string escape_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == 0) out += "\\0";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) out += fmt::format("\\u{:04x}", next), ++i;
    else out += static_cast<char>(c);
  }
  return out;
}

/// Keeps at most `max` bytes of `s`, then "... (N bytes)": a long value stays recognisable
/// without flooding the line. Cuts on a UTF-8 character boundary.
inline std::string truncated(std::string_view s, size_t max = 200) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  return fmt::format("{}... ({} bytes)", s.substr(0, cut), s.size());
}

/// A user-given value as an error message or a record shows it: truncated, then escaped.
inline std::string shown(std::string_view value, size_t max = 200) {
  return escape_controls(truncated(value, max));
}

/// A whole message made safe to print on one line: escaped, and when longer than `max`
/// bytes, its middle elided (the start names the file or option, the end what was expected).
inline std::string bounded_message(std::string_view msg, size_t max = 4000) {
  std::string s = escape_controls(msg);
  if (s.size() <= max) return s;
  size_t head = max * 3 / 4, tail = max / 5;
  while (head > 0 && (static_cast<unsigned char>(s[head]) & 0xc0) == 0x80) --head;
  size_t from = s.size() - tail;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xc0) == 0x80) ++from;
  return fmt::format("{} [... {} bytes elided ...] {}", s.substr(0, head), from - head,
                     s.substr(from));
}

}  // namespace nnc
