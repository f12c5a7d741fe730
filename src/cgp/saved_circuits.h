#pragma once
// Circuits saved by earlier runs, loaded for re-evaluation without evolving (cgp-eval, the
// original's model-metrics): a genome file (the genome.txt artifact), or the best k distinct
// chromosomes of a statistics CSV by error or by energy.
//
// Example:
//   auto best = top_circuits("runs/ab12/stats.csv", 3, CircuitOrder::Energy);
//   check_grid(best[0], 256, 31);        // one clear line when it does not
//   check_fits(best[0], problem_data);   // the layers' inputs, outputs and items
#include <cstdint>
#include <string>
#include <vector>

#include "cgp/dataset.h"
#include "cgp/genome.h"

namespace nnc::cgp {

struct SavedCircuit {
  Genome genome;
  std::string source;        ///< "FILE" or "FILE:LINE"
  int64_t logged_error = -1; ///< from the statistics row (-1: a genome file)
  double logged_energy = -1;
  uint64_t generation = 0;
};

enum class CircuitOrder { Error, Energy };
/// "error" | "energy" (anything else fails naming the choices).
CircuitOrder parse_circuit_order(const std::string& s);

SavedCircuit load_genome_circuit(const std::string& path);
/// The k best distinct chromosomes of a statistics file, by (error, energy) or (energy,
/// error), earlier rows first on ties. Rows without a chromosome are skipped (runs log one at
/// error <= threshold and always on their final row); fails when none has one.
std::vector<SavedCircuit> top_circuits(const std::string& stats_path, int k, CircuitOrder by);

/// Fails with one line unless the circuit's inputs, outputs and items are those of `data`.
void check_fits(const SavedCircuit& c, const Dataset& data);
/// Fails with one line unless the circuit's grid is rows x cols (a value <= 0: any).
void check_grid(const SavedCircuit& c, int rows, int cols);

}  // namespace nnc::cgp
