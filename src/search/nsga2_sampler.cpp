#include "search/nsga2_sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <ostream>

#include "core/error.h"
#include "search/pareto.h"
#include "search/random_sampler.h"

namespace nnc::search {

const OptionFields<Nsga2Options>& Nsga2Options::fields() {
  static const auto f =
      OptionFields<Nsga2Options>()
          .add("nsga2_population_size", &Nsga2Options::population_size, "nsga2: trials per generation")
          .add("nsga2_mutation_prob", &Nsga2Options::mutation_prob,
               "nsga2: probability of resampling each parameter (< 0 = 1 / parameters)")
          .add("nsga2_crossover_prob", &Nsga2Options::crossover_prob,
               "nsga2: uniform crossover probability (else a copy of one parent)")
          .add("nsga2_swapping_prob", &Nsga2Options::swapping_prob,
               "nsga2: crossover's probability of taking the second parent's gene");
  return f;
}

void Nsga2Options::validate() const {
  NNC_CHECK(population_size >= 2,
            "option 'nsga2_population_size': {} must be >= 2 (Optuna's default is 50)",
            population_size);
  NNC_CHECK(mutation_prob < 0 || mutation_prob <= 1,
            "option 'nsga2_mutation_prob': {} must be in [0, 1], or negative for 1 / n_params",
            mutation_prob);
  NNC_CHECK(crossover_prob >= 0 && crossover_prob <= 1,
            "option 'nsga2_crossover_prob': {} must be in [0, 1]", crossover_prob);
  NNC_CHECK(swapping_prob >= 0 && swapping_prob <= 1,
            "option 'nsga2_swapping_prob': {} must be in [0, 1]", swapping_prob);
}

Nsga2Sampler::Nsga2Sampler(const Nsga2Options& options, uint64_t seed)
    : options_(options), seed_(seed), rng_(derive_seed(seed, "search/nsga2")) {
  options_.validate();
}

int Nsga2Sampler::generation_of(int number) const {
  return number >= 0 && number < static_cast<int>(generation_.size()) ? generation_[number] : -1;
}

namespace {
bool usable(const Trial& t) {
  return t.complete() && !t.losses.empty() &&
         std::none_of(t.losses.begin(), t.losses.end(), [](double v) { return std::isnan(v); });
}
}  // namespace

const std::vector<int>& Nsga2Sampler::parents_after(int g,
                                                    const std::vector<std::vector<int>>& members,
                                                    const std::vector<Trial>& history) {
  if (g < static_cast<int>(parents_.size())) return parents_[g];
  // Members of a full generation are fixed, so each elite selection runs once.
  std::vector<int> pool = members[g];
  if (g > 0) {
    const std::vector<int>& prev = parents_after(g - 1, members, history);
    pool.insert(pool.end(), prev.begin(), prev.end());
  }
  std::vector<Point> pts;
  for (int t : pool) pts.push_back(history[t].losses);
  std::vector<Direction> dirs(pts[0].size(), Direction::kMinimize);
  std::vector<int> elite;
  const size_t want = static_cast<size_t>(options_.population_size);
  for (auto& front : non_dominated_sort(pts, dirs)) {
    if (elite.size() + front.size() < want) {
      for (size_t i : front) elite.push_back(pool[i]);
      continue;
    }
    std::vector<double> cd = crowding_distance(pts, front);
    std::vector<size_t> pos(front.size());
    std::iota(pos.begin(), pos.end(), 0);
    std::stable_sort(pos.begin(), pos.end(), [&](size_t a, size_t b) { return cd[a] > cd[b]; });
    for (size_t q = 0; elite.size() < want && q < pos.size(); ++q)
      elite.push_back(pool[front[pos[q]]]);
    break;
  }
  parents_.push_back(std::move(elite));
  return parents_.back();
}

int Nsga2Sampler::select_parent(const std::vector<int>& population,
                                const std::vector<Trial>& history) {
  const int a = population[rng_.below(population.size())];
  const int b = population[rng_.below(population.size())];
  const std::vector<Direction> dirs(history[a].losses.size(), Direction::kMinimize);
  return dominates(history[a].losses, history[b].losses, dirs) ? a : b;
}

std::vector<int> Nsga2Sampler::ask(const SearchSpace& space, const std::vector<Trial>& history) {
  if (history.size() < generation_.size()) generation_.clear(), parents_.clear();  // new study
  // Complete members of each generation, in trial order.
  std::vector<std::vector<int>> members;
  for (const Trial& t : history) {
    const int g = generation_of(t.number);
    if (g < 0 || !usable(t) || t.index.size() != space.size()) continue;
    if (g >= static_cast<int>(members.size())) members.resize(g + 1);
    members[g].push_back(t.number);
  }
  int parent_gen = -1;
  const std::vector<int>* parents = nullptr;
  while (parent_gen + 1 < static_cast<int>(members.size()) &&
         static_cast<int>(members[parent_gen + 1].size()) >= options_.population_size) {
    ++parent_gen;
    parents = &parents_after(parent_gen, members, history);
  }
  const int number = static_cast<int>(history.size());
  if (static_cast<int>(generation_.size()) <= number) generation_.resize(number + 1, -1);
  generation_[number] = parent_gen + 1;
  if (!parents) return RandomSampler::draw(space, rng_);

  const size_t P = space.size();
  std::vector<int> child(P);
  if (rng_.uniform() < options_.crossover_prob) {
    const int p0 = select_parent(*parents, history);
    std::vector<int> rest;
    for (int t : *parents)
      if (t != p0) rest.push_back(t);
    const int p1 = select_parent(rest, history);
    for (size_t p = 0; p < P; ++p)
      child[p] = (rng_.uniform() < options_.swapping_prob ? history[p1] : history[p0]).index[p];
  } else {
    child = history[(*parents)[rng_.below(parents->size())]].index;
  }
  const double mutation =
      options_.mutation_prob < 0 ? 1.0 / std::max<size_t>(1, P) : options_.mutation_prob;
  for (size_t p = 0; p < P; ++p)
    if (rng_.uniform() < mutation) child[p] = static_cast<int>(rng_.below(space.n_choices(p)));
  return child;
}

void Nsga2Sampler::describe(std::ostream& os) const {
  os << "sampler: nsga2\nseed: " << seed_ << "\npopulation_size: " << options_.population_size
     << "\nmutation_prob: "
     << (options_.mutation_prob < 0 ? std::string("1/n_params")
                                    : std::to_string(options_.mutation_prob))
     << "\ncrossover: uniform, prob " << options_.crossover_prob << ", swapping_prob "
     << options_.swapping_prob << "\n";
}

}  // namespace nnc::search
