// nnc-parse-check FORMAT FILE: runs one of the CGP text parsers that no nncompress
// subcommand reads directly (genomes, cost tables, datasets), and reports like nncompress:
// "error: <message>" on stderr and exit code 2 for a refused input, 3 for any other failure.
#include <fmt/format.h>

#include <exception>
#include <string>

#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "cgp/genome.h"
#include "core/error.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: nnc-parse-check genome|costs|cgp-dataset FILE\n");
    return 64;
  }
  const std::string format = argv[1], path = argv[2];
  try {
    if (format == "genome") {
      const auto g = nnc::cgp::Genome::load(path);
      g.validate();
      fmt::print("ok: genome with {} genes\n", g.genes().size());
    } else if (format == "costs") {
      fmt::print("ok: {} cost lines\n", nnc::cgp::CostTable::load(path).count());
    } else if (format == "cgp-dataset") {
      fmt::print("ok: {} items\n", nnc::cgp::load_dataset(path).size());
    } else {
      fmt::print(stderr, "error: unknown format '{}': expected genome, costs or cgp-dataset\n",
                 format);
      return 64;
    }
    return 0;
  } catch (const nnc::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 3;
  }
}
