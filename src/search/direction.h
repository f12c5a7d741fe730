#pragma once
// Direction of one objective (or one metric): minimize or maximize.
#include <string>
#include <string_view>

namespace nnc::search {

enum class Direction { kMinimize, kMaximize };

/// "minimize" | "maximize" (also "min" | "max"); anything else fails naming the value.
Direction parse_direction(std::string_view text);
std::string to_string(Direction d);

/// +1 for maximize, -1 for minimize: the sign that turns a value into "higher is better".
inline double gain_sign(Direction d) { return d == Direction::kMaximize ? 1.0 : -1.0; }

}  // namespace nnc::search
