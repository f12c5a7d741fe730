#include "search/tpe_sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <ostream>

#include "core/error.h"
#include "search/parzen_numeric.h"
#include "search/pareto.h"
#include "search/random_sampler.h"

namespace nnc::search {

const OptionFields<TpeOptions>& TpeOptions::fields() {
  static const auto f =
      OptionFields<TpeOptions>()
          .add("tpe_n_startup_trials", &TpeOptions::n_startup_trials,
               "tpe: random (complete) trials before the model is used")
          .add("tpe_n_ei_candidates", &TpeOptions::n_ei_candidates,
               "tpe: candidates drawn from l(x); the best l(x)/g(x) wins")
          .add("tpe_prior_weight", &TpeOptions::prior_weight, "tpe: weight of the uniform prior kernel")
          .add("tpe_consider_prior", &TpeOptions::consider_prior, "tpe: add the uniform prior kernel")
          .add("tpe_gamma_fraction", &TpeOptions::gamma_fraction,
               "tpe: good set = min(ceil(fraction x n), tpe_gamma_max) trials")
          .add("tpe_gamma_max", &TpeOptions::gamma_max, "tpe: largest good set")
          .add("tpe_ramp_weights", &TpeOptions::ramp_weights,
               "tpe: older observations weigh less (Optuna default_weights)")
          .add("tpe_weights_flat", &TpeOptions::weights_flat, "tpe: newest observations weighing 1")
          .add("tpe_multivariate", &TpeOptions::multivariate,
               "tpe: draw and score the parameters jointly (default; false: independently, as "
               "Optuna's default)")
          .add("tpe_multivariate_scott", &TpeOptions::multivariate_scott,
               "tpe: multivariate numeric kernels share Optuna's Scott-rule width (default: each "
               "its own neighbour-gap width)")
          .add("tpe_ordered", &TpeOptions::ordered,
               "tpe: model parameters whose choices are distinct numbers on their numeric axis "
               "(false: every parameter categorical, the behaviour before 2026-12)")
          .add("tpe_magic_clip", &TpeOptions::magic_clip,
               "tpe: numeric kernels at least range / min(100, 1 + n_kernels) wide (Optuna)")
          .add("tpe_consider_endpoints", &TpeOptions::consider_endpoints,
               "tpe: numeric kernels at the ends may widen to the axis ends (Optuna: false)");
  return f;
}

void TpeOptions::validate() const {
  NNC_CHECK(n_startup_trials >= 0, "option 'tpe_n_startup_trials': {} must be >= 0", n_startup_trials);
  NNC_CHECK(n_ei_candidates >= 1, "option 'tpe_n_ei_candidates': {} must be >= 1", n_ei_candidates);
  NNC_CHECK(std::isfinite(prior_weight) && prior_weight > 0,
            "option 'tpe_prior_weight': {} must be > 0 (Optuna's default is 1.0)", prior_weight);
  NNC_CHECK(gamma_fraction > 0 && gamma_fraction <= 1,
            "option 'tpe_gamma_fraction': {} must be in (0, 1] (Optuna's default is 0.1)",
            gamma_fraction);
  NNC_CHECK(gamma_max >= 1, "option 'tpe_gamma_max': {} must be >= 1 (Optuna's default is 25)",
            gamma_max);
  NNC_CHECK(weights_flat >= 0, "option 'tpe_weights_flat': {} must be >= 0", weights_flat);
}

TpeSampler::TpeSampler(const TpeOptions& options, uint64_t seed)
    : options_(options),
      seed_(seed),
      rng_(derive_seed(seed, "search/tpe")),
      startup_rng_(derive_seed(seed, "search/tpe/startup")) {
  options_.validate();
}

int TpeSampler::n_below(int n) const {
  const int k = static_cast<int>(std::ceil(options_.gamma_fraction * n));
  return std::clamp(std::min(k, options_.gamma_max), 0, n);
}

std::vector<double> TpeSampler::observation_weights(int m) const {
  std::vector<double> w(m, 1.0);
  if (!options_.ramp_weights || m <= options_.weights_flat) return w;
  // numpy.linspace(1/m, 1, num=m-flat) followed by `flat` ones.
  const int n_ramp = m - options_.weights_flat;
  const double start = 1.0 / m;
  for (int i = 0; i < n_ramp; ++i)
    w[i] = n_ramp == 1 ? start : start + (1.0 - start) * i / (n_ramp - 1);
  return w;
}

namespace {

/// One Parzen mixture over a set of observations: normalized kernel weights (observations
/// in trial order, then the prior kernel when present).
struct Mixture {
  std::vector<const Trial*> obs;
  std::vector<double> w;  ///< normalized weight per observation kernel
  double w_prior = 0;     ///< normalized weight of the uniform prior kernel
  int n_kernels = 0;
  double prior_weight = 1;

  /// Observation kernel of parameter p with C choices: `base` everywhere, +`peak` at the
  /// observed choice (Optuna: prior_weight / n_kernels, +1, row-normalized).
  void row(int C, double& base, double& peak) const {
    const double fill = prior_weight / n_kernels;
    const double norm = C * fill + 1.0;
    base = fill / norm;
    peak = 1.0 / norm;
  }
};

Mixture make_mixture(std::vector<const Trial*> obs, const TpeSampler& tpe) {
  const TpeOptions& o = tpe.options();
  Mixture mx;
  const int m = static_cast<int>(obs.size());
  const bool prior = o.consider_prior || m == 0;
  mx.n_kernels = m + (prior ? 1 : 0);
  mx.prior_weight = o.prior_weight;
  mx.w = tpe.observation_weights(m);
  double total = std::accumulate(mx.w.begin(), mx.w.end(), 0.0) + (prior ? o.prior_weight : 0.0);
  for (double& x : mx.w) x /= total;
  mx.w_prior = prior ? o.prior_weight / total : 0.0;
  mx.obs = std::move(obs);
  return mx;
}

/// The collapsed categorical distribution of parameter p under a mixture.
void mixture_pmf(const Mixture& mx, size_t p, int C, std::vector<double>& pmf) {
  pmf.assign(C, mx.w_prior / C);
  if (mx.obs.empty()) return;
  double base, peak;
  mx.row(C, base, peak);
  double wsum = 0;
  for (size_t i = 0; i < mx.obs.size(); ++i) {
    wsum += mx.w[i];
    pmf[mx.obs[i]->index[p]] += mx.w[i] * peak;
  }
  for (double& x : pmf) x += wsum * base;
}

/// The kernels of an ordered or mixed parameter p under a mixture: one per observation (trial
/// order), then the prior. Ordered: truncated Gaussians integrated over the cells, the prior
/// a Gaussian as wide as the axis (Optuna's int/float model). Mixed ("NA" beside numbers): as
/// Optuna's define-by-run conditional (a category, then suggest_int when it is "a number"),
/// Optuna's categorical kernel over the K = strings + 1 categories, the number category's
/// share spread over the numbers by the observation's truncated Gaussian (uniformly after a
/// string observation and for the prior).
struct AxisKernels {
  const Mixture& mx;
  const NumericAxis& axis;
  NumericKernels k;            ///< numeric observations (in order), then the prior point
  std::vector<int> kernel_of;  ///< observation -> its index in k; -1 for a string
  std::vector<int> choice_of;  ///< observation -> its choice
  double base = 0, peak = 0;   ///< mixed: Mixture::row over the K categories
  int n_numbers = 0;           ///< mixed: numeric choices; K = strings + 1

  AxisKernels(const Mixture& m, size_t p, const NumericAxis& a, const BandwidthRule& rule)
      : mx(m), axis(a) {
    std::vector<double> coords;
    for (const Trial* t : mx.obs) {
      const int c = t->index[p];
      choice_of.push_back(c);
      kernel_of.push_back(axis.rank[c] < 0 ? -1 : static_cast<int>(coords.size()));
      if (axis.rank[c] >= 0) coords.push_back(axis.coord[c]);
    }
    k = numeric_kernels(axis, coords, rule);
    n_numbers = static_cast<int>(axis.order.size());
    if (axis.mixed && !mx.obs.empty()) mx.row(n_choices() - n_numbers + 1, base, peak);
  }
  int n_categories() const { return n_choices() - n_numbers + 1; }
  size_t n_obs() const { return mx.obs.size(); }
  int n_choices() const { return static_cast<int>(axis.coord.size()); }

  /// out += weight x row i (i == n_obs(): the prior).
  void add_row(size_t i, double weight, std::vector<double>& out) const {
    if (!axis.mixed) {
      const size_t j = i == n_obs() ? k.mu.size() - 1 : kernel_of[i];
      add_cell_masses(axis, k.mu[j], k.sigma[j], weight, out);
      return;
    }
    // Category shares: a string's, and the number category's (spread below).
    const bool prior = i == n_obs();
    const double share_string = prior ? 1.0 / n_categories() : base;
    const double share_number = prior ? share_string : base + (kernel_of[i] >= 0 ? peak : 0.0);
    for (size_t c = 0; c < out.size(); ++c)
      if (axis.rank[c] < 0) out[c] += weight * share_string;
    if (!prior && kernel_of[i] < 0) out[choice_of[i]] += weight * peak;
    if (!prior && kernel_of[i] >= 0) {
      add_cell_masses(axis, k.mu[kernel_of[i]], k.sigma[kernel_of[i]], weight * share_number, out);
      return;
    }
    for (int c : axis.order) out[c] += weight * share_number / n_numbers;
  }

  /// Row i's probability of choice c.
  double at(size_t i, int c) const {
    if (!axis.mixed) {
      const size_t j = i == n_obs() ? k.mu.size() - 1 : kernel_of[i];
      return cell_mass(axis, k.mu[j], k.sigma[j], c);
    }
    const bool prior = i == n_obs();
    if (prior) return axis.rank[c] < 0 ? 1.0 / n_categories() : 1.0 / n_categories() / n_numbers;
    const bool numeric_obs = kernel_of[i] >= 0;
    if (axis.rank[c] < 0) return base + (!numeric_obs && choice_of[i] == c ? peak : 0.0);
    if (!numeric_obs) return base / n_numbers;
    return (base + peak) * cell_mass(axis, k.mu[kernel_of[i]], k.sigma[kernel_of[i]], c);
  }

  double weight(size_t i) const { return i == n_obs() ? mx.w_prior : mx.w[i]; }
};

/// The collapsed distribution of an ordered or mixed parameter p under a mixture.
void numeric_pmf(const Mixture& mx, size_t p, const NumericAxis& axis, const BandwidthRule& rule,
                 std::vector<double>& pmf) {
  const AxisKernels ak(mx, p, axis, rule);
  pmf.assign(axis.coord.size(), 0.0);
  for (size_t i = 0; i <= ak.n_obs(); ++i)
    if (ak.weight(i) > 0) ak.add_row(i, ak.weight(i), pmf);
}

/// numeric_pmf evaluated only at the choices in `at` (others left 0): g needs its density at
/// the drawn candidates only, and its many narrow kernels mostly miss them.
void numeric_pmf_at(const Mixture& mx, size_t p, const NumericAxis& axis,
                    const BandwidthRule& rule, const std::vector<int>& at,
                    std::vector<double>& pmf) {
  const AxisKernels ak(mx, p, axis, rule);
  std::vector<int> distinct(at);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  pmf.assign(axis.coord.size(), 0.0);
  for (size_t i = 0; i <= ak.n_obs(); ++i)
    if (ak.weight(i) > 0)
      for (int c : distinct) pmf[c] += ak.weight(i) * ak.at(i, c);
}

/// log that stays finite: a numeric cell far in every kernel's tail can have mass 0.
double safe_log(double x) { return std::log(std::max(x, 1e-300)); }

BandwidthRule bandwidth(const TpeOptions& o, const Mixture& mx, double sigma0) {
  BandwidthRule r;
  r.prior = mx.w_prior > 0;
  r.magic_clip = o.magic_clip;
  r.endpoints = o.consider_endpoints;
  r.sigma0 = sigma0;
  return r;
}

/// Parameter p's collapsed distribution under a mixture, numeric or categorical.
void param_pmf(const TpeOptions& o, const Mixture& mx, size_t p, const SearchSpace& space,
               const std::optional<NumericAxis>& axis, std::vector<double>& out) {
  if (axis)
    numeric_pmf(mx, p, *axis, bandwidth(o, mx, 0), out);
  else
    mixture_pmf(mx, p, space.n_choices(p), out);
}

bool usable(const Trial& t, const SearchSpace& space) {
  if (!t.complete() || t.index.size() != space.size() || t.losses.empty()) return false;
  return std::all_of(t.losses.begin(), t.losses.end(), [](double v) { return !std::isnan(v); });
}

}  // namespace

bool TpeSampler::split(const SearchSpace& space, const std::vector<Trial>& history,
                       std::vector<const Trial*>& below,
                       std::vector<const Trial*>& above) const {
  std::vector<const Trial*> obs;
  for (const Trial& t : history)
    if (usable(t, space)) obs.push_back(&t);
  const int n = static_cast<int>(obs.size());
  if (n < options_.n_startup_trials || n == 0) return false;

  // Rank: by loss (ties: earlier trial first), or by non-dominated rank then crowding.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (obs[0]->losses.size() == 1) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return obs[a]->losses[0] < obs[b]->losses[0];
    });
  } else {
    std::vector<Point> pts;
    for (auto* t : obs) pts.push_back(t->losses);
    std::vector<Direction> dirs(pts[0].size(), Direction::kMinimize);
    order.clear();
    for (auto& front : non_dominated_sort(pts, dirs)) {
      std::vector<double> cd = crowding_distance(pts, front);
      std::vector<size_t> pos(front.size());
      std::iota(pos.begin(), pos.end(), 0);
      std::stable_sort(pos.begin(), pos.end(), [&](size_t a, size_t b) { return cd[a] > cd[b]; });
      for (size_t q : pos) order.push_back(front[q]);
    }
  }
  const int nb = n_below(n);
  std::vector<size_t> below_idx(order.begin(), order.begin() + nb);
  std::vector<size_t> above_idx(order.begin() + nb, order.end());
  std::sort(below_idx.begin(), below_idx.end());  // chronological, for the weight ramp
  std::sort(above_idx.begin(), above_idx.end());
  below.clear();
  above.clear();
  for (size_t i : below_idx) below.push_back(obs[i]);
  for (size_t i : above_idx) above.push_back(obs[i]);
  return true;
}

std::vector<std::optional<NumericAxis>> TpeSampler::axes(const SearchSpace& space) const {
  std::vector<std::optional<NumericAxis>> out(space.size());
  if (!options_.ordered) return out;
  for (size_t p = 0; p < space.size(); ++p)
    if (space[p].ordered || space[p].mixed) out[p] = NumericAxis::of(space[p]);
  return out;
}

std::vector<int> TpeSampler::ask(const SearchSpace& space, const std::vector<Trial>& history) {
  std::vector<const Trial*> below, above;
  if (!split(space, history, below, above)) return RandomSampler::draw(space, startup_rng_);
  return options_.multivariate ? ask_multivariate(space, below, above)
                               : ask_independent(space, below, above);
}

TpeSampler::Model TpeSampler::model(const SearchSpace& space,
                                    const std::vector<Trial>& history) const {
  Model m;
  std::vector<const Trial*> below, above;
  if (!split(space, history, below, above)) return m;
  const Mixture l = make_mixture(below, *this);
  const Mixture g = make_mixture(above, *this);
  const auto ax = axes(space);
  m.l.resize(space.size());
  m.g.resize(space.size());
  for (size_t p = 0; p < space.size(); ++p) {
    param_pmf(options_, l, p, space, ax[p], m.l[p]);
    param_pmf(options_, g, p, space, ax[p], m.g[p]);
  }
  return m;
}

std::vector<int> TpeSampler::ask_independent(const SearchSpace& space,
                                             const std::vector<const Trial*>& below,
                                             const std::vector<const Trial*>& above) {
  const Mixture l = make_mixture(below, *this);
  const Mixture g = make_mixture(above, *this);
  const auto ax = axes(space);
  std::vector<int> out(space.size());
  std::vector<double> pl, pg, score;
  std::vector<int> drawn;
  for (size_t p = 0; p < space.size(); ++p) {
    const int C = space.n_choices(p);
    param_pmf(options_, l, p, space, ax[p], pl);
    const double total = std::accumulate(pl.begin(), pl.end(), 0.0);
    drawn.clear();
    for (int k = 0; k < options_.n_ei_candidates; ++k)
      drawn.push_back(static_cast<int>(rng_.categorical(pl.data(), C, total)));
    if (ax[p])
      numeric_pmf_at(g, p, *ax[p], bandwidth(options_, g, 0), drawn, pg);
    else
      mixture_pmf(g, p, C, pg);
    int best = -1;
    double best_score = 0;
    for (int c : drawn) {  // the first maximum wins (numpy argmax)
      const double sc = safe_log(pl[c]) - safe_log(pg[c]);
      if (best < 0 || sc > best_score) best = c, best_score = sc;
    }
    out[p] = best;
  }
  return out;
}

namespace {

/// Per-kernel probabilities of one ordered or mixed parameter's choices under a multivariate
/// mixture: row k (observation kernels, then the prior) holds kernel k's mass on each choice.
struct KernelTable {
  int C = 0;
  std::vector<double> prob, logp;  ///< n_kernels x C, row-major

  KernelTable(const Mixture& mx, size_t p, const NumericAxis& axis, const BandwidthRule& rule) {
    const AxisKernels ak(mx, p, axis, rule);
    C = ak.n_choices();
    prob.assign((ak.n_obs() + 1) * C, 0.0);
    std::vector<double> row;
    for (size_t i = 0; i <= ak.n_obs(); ++i) {
      row.assign(C, 0.0);
      ak.add_row(i, 1.0, row);
      std::copy(row.begin(), row.end(), prob.begin() + i * C);
    }
    logp.resize(prob.size());
    for (size_t i = 0; i < prob.size(); ++i) logp[i] = safe_log(prob[i]);
  }
};

/// A mixture's kernels over every parameter, for drawing and scoring joint candidates.
/// Categorical parameters use the closed-form rows of Mixture::row; ordered ones a table.
struct JointModel {
  const Mixture& mx;
  const SearchSpace& space;
  std::vector<std::optional<KernelTable>> tables;  ///< per parameter; empty = categorical
  std::vector<double> lb, lp;                      ///< categorical: log base, log base + peak
  double log_prior_categorical = 0;                ///< prior kernel: sum of -log C

  JointModel(const Mixture& m, const SearchSpace& s,
             const std::vector<std::optional<NumericAxis>>& axes, const BandwidthRule& rule)
      : mx(m), space(s), tables(s.size()), lb(s.size()), lp(s.size()) {
    for (size_t p = 0; p < s.size(); ++p) {
      if (axes[p]) {
        tables[p].emplace(mx, p, *axes[p], rule);
        continue;
      }
      log_prior_categorical -= std::log(s.n_choices(p));
      if (mx.obs.empty()) continue;
      double base, peak;
      mx.row(s.n_choices(p), base, peak);
      lb[p] = std::log(base);
      lp[p] = std::log(base + peak);
    }
  }

  /// log density of x: logsumexp over kernels of log w + sum_p log kernel_p(x_p).
  double log_pdf(const std::vector<int>& x) const {
    const size_t n_obs = mx.obs.size();
    thread_local std::vector<double> terms;
    terms.clear();
    for (size_t i = 0; i <= n_obs; ++i) {
      const bool prior = i == n_obs;
      const double w = prior ? mx.w_prior : mx.w[i];
      if (w <= 0) continue;
      double s = std::log(w) + (prior ? log_prior_categorical : 0.0);
      for (size_t p = 0; p < x.size(); ++p) {
        if (tables[p])
          s += tables[p]->logp[i * tables[p]->C + x[p]];
        else if (!prior)
          s += mx.obs[i]->index[p] == x[p] ? lp[p] : lb[p];
      }
      terms.push_back(s);
    }
    const double top = *std::max_element(terms.begin(), terms.end());
    if (!std::isfinite(top)) return top;
    double acc = 0;
    for (double t : terms) acc += std::exp(t - top);
    return top + std::log(acc);
  }
};

}  // namespace

std::vector<int> TpeSampler::ask_multivariate(const SearchSpace& space,
                                              const std::vector<const Trial*>& below,
                                              const std::vector<const Trial*>& above) {
  const Mixture l = make_mixture(below, *this);
  const Mixture g = make_mixture(above, *this);
  const size_t P = space.size();
  const int n_params = static_cast<int>(P);
  const auto ax = axes(space);
  // Optuna 3.1 gives every joint kernel one Scott-rule width; by default each keeps its own
  // neighbour-gap width, which bench-search found better on every objective (a narrow kernel
  // where good trials crowd, a wide one where they are sparse).
  auto sigma0 = [&](size_t n) {
    return options_.multivariate_scott ? multivariate_sigma0(static_cast<int>(n), n_params) : 0.0;
  };
  const JointModel lm(l, space, ax, bandwidth(options_, l, sigma0(below.size())));
  const JointModel gm(g, space, ax, bandwidth(options_, g, sigma0(above.size())));

  // Kernel weights for drawing candidates from l: observations, then the prior.
  std::vector<double> kw(l.w);
  kw.push_back(l.w_prior);
  const double ktotal = std::accumulate(kw.begin(), kw.end(), 0.0);
  std::vector<int> best, x(P);
  double best_score = -std::numeric_limits<double>::infinity();
  for (int k = 0; k < options_.n_ei_candidates; ++k) {
    const size_t kernel = rng_.categorical(kw.data(), kw.size(), ktotal);
    for (size_t p = 0; p < P; ++p) {
      const int C = space.n_choices(p);
      if (lm.tables[p]) {
        const double* row = lm.tables[p]->prob.data() + kernel * C;
        x[p] = static_cast<int>(rng_.categorical(row, C, std::accumulate(row, row + C, 0.0)));
      } else if (kernel == l.obs.size()) {
        x[p] = static_cast<int>(rng_.below(C));
      } else {
        double base, peak;
        l.row(C, base, peak);
        // base on every choice plus peak on the observed one: total C*base + peak = 1.
        const double u = rng_.uniform();
        const int obs_c = l.obs[kernel]->index[p];
        if (u < peak) {
          x[p] = obs_c;
        } else {
          x[p] = std::min(C - 1, static_cast<int>((u - peak) / base));
        }
      }
    }
    const double s = lm.log_pdf(x) - gm.log_pdf(x);
    if (best.empty() || s > best_score) best_score = s, best = x;
  }
  return best;
}

void TpeSampler::describe(std::ostream& os) const {
  const TpeOptions& o = options_;
  os << "sampler: tpe\nseed: " << seed_ << "\nn_startup_trials: " << o.n_startup_trials
     << "\nn_ei_candidates: " << o.n_ei_candidates << "\nprior_weight: " << o.prior_weight
     << "\nconsider_prior: " << (o.consider_prior ? "true" : "false") << "\ngamma: min(ceil("
     << o.gamma_fraction << " n), " << o.gamma_max << ")\nweights: "
     << (o.ramp_weights ? "ramp, newest " + std::to_string(o.weights_flat) + " flat" : "flat")
     << "\nmultivariate: " << (o.multivariate ? "true" : "false")
     << (o.multivariate ? (o.multivariate_scott ? " (Scott-rule widths)" : " (neighbour-gap widths)")
                        : "")
     << "\nordered: " << (o.ordered ? "numeric kernels for ordered parameters" : "all categorical")
     << "\nmagic_clip: " << (o.magic_clip ? "true" : "false")
     << "\nconsider_endpoints: " << (o.consider_endpoints ? "true" : "false") << "\n";
}

}  // namespace nnc::search
