#pragma once
// Public header of the CGP engine (weight approximation by Cartesian Genetic
// Programming, docs/cgp.md). See src/cgp/README.md.
#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "cgp/evaluator.h"
#include "cgp/evolution.h"
#include "cgp/functions.h"
#include "cgp/genome.h"
#include "cgp/naive_evaluator.h"
#include "cgp/problem.h"
#include "cgp/stats.h"
#include "cgp/selection.h"
