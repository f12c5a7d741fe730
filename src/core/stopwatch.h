#pragma once
// Stopwatch: wall seconds since it was made (steady clock), for the timings runs record.
//
// Example:
//   Stopwatch watch;
//   train();
//   record.seconds = watch.seconds();
#include <chrono>

namespace nnc {

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace nnc
