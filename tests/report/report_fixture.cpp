// report-fixture DIR: writes the fake runs of fake_runs.h into DIR/results.db (for the
// end-to-end report test).
#include <fmt/format.h>

#include "experiment/results_store.h"
#include "fake_runs.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: report-fixture DIR\n");
    return 2;
  }
  nnc::experiment::ResultsStore store(argv[1]);
  auto runs = nnc::report::testing::fake_all_runs();
  for (auto& r : runs) store.put(r);
  fmt::print("wrote {} runs to {}\n", runs.size(), store.path());
  return 0;
}
