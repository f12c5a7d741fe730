#pragma once
// nncompress search strategies: one include for the whole library (no torch).
//   SearchSpace + ObjectiveSpec + Sampler (brute-force, random, tpe, nsga2) -> optimize()
//   -> StudyResult (trials, best(), pareto_front()); pareto.h for reports; search_toml.h for
//   MASE-style configs.
#include "search/brute_force_sampler.h"
#include "search/direction.h"
#include "search/nsga2_sampler.h"
#include "search/objective.h"
#include "search/pareto.h"
#include "search/random_sampler.h"
#include "search/sampler.h"
#include "search/search_space.h"
#include "search/search_toml.h"
#include "search/study.h"
#include "search/tpe_sampler.h"
#include "search/trial.h"
