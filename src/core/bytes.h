#pragma once
// Byte sizes as researchers write them: "10MiB", "1.5 MB", "4096".
#include <cstdint>
#include <string>

namespace nnc {

/// Parses "123", "10KiB", "10MiB", "2GiB", "1.5MB" (SI: 1000) into bytes.
/// `what` names the option in the error message.
uint64_t parse_bytes(const std::string& text, const std::string& what = "size");
/// 10485760 -> "10.00 MiB".
std::string format_bytes(uint64_t bytes);

}  // namespace nnc
