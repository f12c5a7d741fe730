// nncompress.cgp (C++ part): evolve a circuit of int8 gates that maps given inputs to target
// outputs (cgp::evolve, the engine of `nncompress cgp`), from int8 tensors or numpy arrays.
// One call runs the whole evolution in C++ with the GIL released: the Python overhead is
// per call, not per generation.
#include <pybind11/stl.h>
#include <torch/extension.h>

#include "cgp/cost_table.h"
#include "cgp/evolution.h"
#include "cgp/naive_evaluator.h"
#include "core/error.h"
#include "python/src/bindings.h"

namespace py = pybind11;

namespace nnc::cgp {
namespace {

/// Items of an integer tensor [items, width] (or one item [width]) with values in -128..127.
std::vector<std::vector<int8_t>> int8_rows(const torch::Tensor& t, const char* what) {
  NNC_CHECK(!t.is_floating_point() && !t.is_complex() && t.scalar_type() != torch::kBool,
            "cgp.evolve: {} must be an integer tensor (int8 values -128..127), got {}", what,
            std::string(c10::toString(t.scalar_type())));
  NNC_CHECK(t.dim() == 1 || t.dim() == 2, "cgp.evolve: {} must be [items, values] or [values], got {} dims",
            what, t.dim());
  NNC_CHECK(t.numel() > 0, "cgp.evolve: {} is empty", what);
  const auto wide = t.to(torch::kCPU, torch::kInt64).reshape({t.dim() == 1 ? 1 : t.size(0), -1}).contiguous();
  const int64_t lo = wide.min().item<int64_t>(), hi = wide.max().item<int64_t>();
  NNC_CHECK(lo >= -128 && hi <= 127, "cgp.evolve: {} holds values in {}..{}, expected -128..127", what, lo, hi);
  std::vector<std::vector<int8_t>> rows(wide.size(0));
  const int64_t* p = wide.data_ptr<int64_t>();
  for (auto& r : rows) r.assign(p, p + wide.size(1)), p += wide.size(1);
  return rows;
}

Dataset dataset_of(const torch::Tensor& inputs, const torch::Tensor& targets, const std::vector<int>& scored) {
  const auto in = int8_rows(inputs, "inputs");
  const auto out = int8_rows(targets, "targets");
  NNC_CHECK(in.size() == out.size(), "cgp.evolve: {} input items but {} target items", in.size(), out.size());
  NNC_CHECK(scored.empty() || scored.size() == in.size(),
            "cgp.evolve: scored has {} entries, expected one per item ({})", scored.size(), in.size());
  Dataset d;
  for (size_t i = 0; i < in.size(); ++i) d.add(in[i], out[i], scored.empty() ? -1 : scored[i]);
  d.validate();
  return d;
}

torch::Tensor outputs_tensor(const Genome& g, const std::vector<std::vector<int8_t>>& inputs) {
  std::vector<int8_t> flat = naive_outputs(g, inputs);
  const int64_t items = static_cast<int64_t>(inputs.size());
  return torch::from_blob(flat.data(), {items, static_cast<int64_t>(flat.size()) / items}, torch::kInt8).clone();
}

py::dict result_dict(const Result& r, const Dataset& data) {
  py::dict d;
  d["genome"] = r.genome.to_string();
  d["error"] = r.error;
  d["threshold"] = r.threshold;
  d["reached_threshold"] = r.reached_threshold;
  d["energy"] = r.costs.energy;
  d["quantized_energy"] = r.costs.q_energy;
  d["area"] = r.costs.area;
  d["delay"] = r.costs.delay;
  d["depth"] = r.costs.depth;
  d["gates"] = r.costs.gate_count;
  d["generations"] = r.generations;
  d["stop_reason"] = r.stop_reason;
  d["seconds"] = r.seconds;  // inside the engine: compare with the call's wall time
  d["gate_evals"] = r.gate_evals;
  d["threads"] = r.threads;
  d["outputs"] = outputs_tensor(r.genome, data.in);
  return d;
}

py::dict evolve_py(const torch::Tensor& inputs, const torch::Tensor& targets, int rows, int cols,
                   int64_t generations, int64_t threshold, const std::string& metric, int lambda,
                   double mutation_max, int64_t patience, uint64_t seed, int threads, bool multiplex,
                   int lookback, bool dynamic_threshold, const std::string& costs_path,
                   const std::string& start, const std::vector<int>& scored) {
  const Dataset data = dataset_of(inputs, targets, scored);
  Options o(rows, cols);
  o.generations(generations).threshold(threshold).metric(parse_metric(metric)).lambda(lambda)
      .mutation_max(mutation_max).patience(patience).seed(seed).threads(threads).multiplex(multiplex)
      .lookback(lookback).dynamic_threshold(dynamic_threshold);
  o.validate();
  const CostTable costs = costs_path.empty() ? CostTable::unit_default() : CostTable::load(costs_path);
  std::optional<Genome> first;
  if (!start.empty()) first = Genome::parse(start, "cgp.evolve start");
  Result r;
  {
    py::gil_scoped_release release;
    r = evolve(data, costs, o, first ? &*first : nullptr);
  }
  return result_dict(r, data);
}

torch::Tensor outputs_py(const std::string& genome, const torch::Tensor& inputs) {
  const Genome g = Genome::parse(genome, "cgp.outputs genome");
  const auto in = int8_rows(inputs, "inputs");
  NNC_CHECK(static_cast<int>(in[0].size()) == g.shape().inputs,
            "cgp.outputs: the genome reads {} inputs per item, the tensor has {}", g.shape().inputs,
            in[0].size());
  return outputs_tensor(g, in);
}

}  // namespace
}  // namespace nnc::cgp

namespace nnc::python {

void bind_cgp(py::module_& m) {
  m.def("cgp_evolve", &cgp::evolve_py, py::arg("inputs"), py::arg("targets"), py::arg("rows"),
        py::arg("cols"), py::arg("generations"), py::arg("threshold"), py::arg("metric"),
        py::arg("lambda_"), py::arg("mutation_max"), py::arg("patience"), py::arg("seed"),
        py::arg("threads"), py::arg("multiplex"), py::arg("lookback"), py::arg("dynamic_threshold"),
        py::arg("costs"), py::arg("start"), py::arg("scored"));
  m.def("cgp_outputs", &cgp::outputs_py, py::arg("genome"), py::arg("inputs"));
}

}  // namespace nnc::python
