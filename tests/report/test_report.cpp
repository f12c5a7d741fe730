// Unit tests of the report: replay grouping and facets, Pareto views, CSV, HTML.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment/results_store.h"
#include "fake_runs.h"
#include "report/cgp_given_weights_view.h"
#include "report/cgp_sensitivity_view.h"
#include "report/embedded.h"
#include "report/gnuplot_writer.h"
#include "report/html_writer.h"
#include "report/prune_view.h"
#include "report/published.h"
#include "report/replay_view.h"
#include "report/report.h"
#include "report/search_view.h"
#include "report/study_group.h"

namespace nnc::report {
namespace {

using testing::ReplaySpec;
using testing::replay_run;

const Facet* facet(const Chart& c, const std::string& title) {
  for (auto& f : c.facets)
    if (f.title == title) return &f;
  return nullptr;
}
const Series* series(const Facet& f, const std::string& name) {
  for (auto& s : f.series)
    if (s.name == name) return &s;
  return nullptr;
}

TEST(ReplayPoints, GroupsByCompressorNameAndAnnotatesTheParameter) {
  auto points = replay_points(testing::fake_replay_runs());
  // 3 budgets x 5 settings + 10 sweep points at 10 MiB; the second seed is averaged in.
  ASSERT_EQ(points.size(), 3u * 5u + 10u);
  int quant_local = 0;
  for (auto& p : points) {
    EXPECT_EQ(p.dataset, "cifar10");
    if (p.compressor == "quantization local") {
      ++quant_local;
      EXPECT_EQ(p.compressor_name, "Quantization (local)");
      EXPECT_TRUE(p.parameter == "2" || p.parameter == "8" || p.parameter == "16") << p.parameter;
    }
    if (p.compressor == "fcae") EXPECT_TRUE(p.parameter == "8" || p.parameter == "32");
    if (p.compressor == "none" && p.encoder == "none") EXPECT_EQ(p.parameter, "GDumb");
    if (p.encoder == "cutr") EXPECT_EQ(p.encoder_name, "CutR18(3)");
    if (p.encoder == "none") EXPECT_EQ(p.encoder_name, "no encoding");
  }
  EXPECT_EQ(quant_local, 9);
  // The two seeds of cutr + quantization 16 at 10 MiB: one point, mean accuracy, n = 2.
  bool found = false;
  for (auto& p : points)
    if (p.encoder == "cutr" && p.compressor == "quantization local" && p.budget == "10MiB") {
      found = true;
      EXPECT_EQ(p.run_ids.size(), 2u);
      EXPECT_NEAR(p.accuracy, (0.47 + 0.09 * 2 + 0.58) / 2, 1e-9);
      EXPECT_GT(p.accuracy_std, 0);
    }
  EXPECT_TRUE(found);
}

TEST(ReplayPoints, TransferStrategyIsItsOwnLineAndUntaggedRunsFallBackToNames) {
  std::vector<experiment::RunRecord> runs = {
      replay_run({.id = "a", .compressor = "quantization", .strategy = "tiny_imagenet_transfer",
                  .param_key = "n_states", .param = 4, .accuracy = 0.3, .mib = 2}),
      replay_run({.id = "b", .compressor = "quantization", .strategy = "local",
                  .param_key = "n_states", .param = 4, .accuracy = 0.35, .mib = 2}),
      // Recorded before plug-ins tagged themselves: its names only, and a note says so.
      replay_run({.id = "c", .encoder = "cutr", .compressor = "thinning", .param_key = "compression_factor",
                  .param = 0.8, .accuracy = 0.45, .mib = 2, .plugin_tags = false})};
  experiment::RunRecord from_labels;  // no config either: the plug-ins' names from its labels
  from_labels.id = "d";
  from_labels.kind = "replay";
  from_labels.status = experiment::RunStatus::Completed;
  from_labels.tags = {{"encoder", "cutr3"}, {"compressor", "thinning 0.8"}};
  from_labels.metrics = {{"final_accuracy", 0.4}, {"memory_used_bytes", 3 * 1048576.0}, {"memory_items", 77}};
  runs.push_back(from_labels);
  std::vector<std::string> notes;
  auto points = replay_points(runs, &notes);
  ASSERT_EQ(points.size(), 4u);
  std::map<std::string, ReplayPoint> by_id;
  for (auto& p : points) by_id[p.run_ids[0]] = p;
  EXPECT_EQ(by_id["a"].compressor, "quantization transfer");
  EXPECT_EQ(by_id["a"].compressor_name, "Quantization (transfer)");
  EXPECT_EQ(by_id["b"].compressor, "quantization local");
  EXPECT_EQ(by_id["a"].compressor_order, by_id["b"].compressor_order);  // one plug-in, two lines
  EXPECT_EQ(by_id["c"].compressor, "thinning");
  EXPECT_EQ(by_id["c"].parameter, "");  // settings are not guessed
  EXPECT_EQ(by_id["c"].encoder_name, "cutr");
  EXPECT_GT(by_id["c"].compressor_order, by_id["a"].compressor_order);  // after every tagged line
  EXPECT_EQ(by_id["d"].compressor, "thinning");
  EXPECT_EQ(by_id["d"].encoder, "cutr3");
  EXPECT_DOUBLE_EQ(by_id["d"].memory_mib, 3.0);
  EXPECT_DOUBLE_EQ(by_id["d"].slots, 77);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("2 run(s) (c, ...) carry no report tags"), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find("results migrate"), std::string::npos) << notes[0];
}

TEST(ReplayPoints, SkipsRunsWithoutMetricsAndSaysWhy) {
  auto r = replay_run({.id = "x"});
  r.metrics.erase("final_accuracy");
  auto failed = testing::fake_failed_run();
  std::vector<std::string> skipped;
  auto points = replay_points({r, failed}, &skipped);
  EXPECT_TRUE(points.empty());
  ASSERT_EQ(skipped.size(), 1u);  // the failed run is not a candidate at all
  EXPECT_NE(skipped[0].find("final_accuracy"), std::string::npos);
}

TEST(ReplayChart, FacetsByEncoderLinePerCompressorPublishedInEveryPanel) {
  auto points = replay_points(testing::fake_replay_runs());
  auto published = builtin_published_cifar10();
  ASSERT_EQ(published.size(), 4u);
  auto chart = replay_memory_chart(points, MemoryAxis::kMiB, published, "c");
  ASSERT_EQ(chart.facets.size(), 2u);
  EXPECT_EQ(chart.facets[0].title, "no encoding");  // the seeds' order: no encoder first
  EXPECT_EQ(chart.facets[1].title, "CutR18(3)");
  EXPECT_EQ(chart.trace_count(), static_cast<size_t>(testing::kFakeReplayMibTraces));
  EXPECT_TRUE(chart.log_x);
  const Facet* cut = facet(chart, "CutR18(3)");
  ASSERT_NE(cut, nullptr);
  std::vector<std::string> names;
  for (auto& s : cut->series) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"No Compression", "Thinning", "Quantization (local)",
                                             "Quantization (transfer)", "FC Autoencoder", "published"}));
  // One parameter at three budgets: one line, every point labelled (seed 000's layout).
  const Series* q = series(*cut, "Quantization (local)");
  ASSERT_EQ(q->x.size(), 3u);
  EXPECT_TRUE(std::is_sorted(q->x.begin(), q->x.end()));
  EXPECT_EQ(q->text, (std::vector<std::string>{"16", "16", "16"}));
  EXPECT_EQ(q->dash, 0);
  // Without an encoder, local quantization ran two parameters at three budgets each: a line
  // per parameter (no zigzag), labelled at its end, the compressor's colour, a dash each.
  const Facet& raw = chart.facets[0];
  const Series* q2 = series(raw, "Quantization (local) k=2");
  const Series* q8 = series(raw, "Quantization (local) k=8");
  ASSERT_NE(q2, nullptr);
  ASSERT_NE(q8, nullptr);
  EXPECT_EQ(q8->text, (std::vector<std::string>{"", "", "8"}));
  EXPECT_EQ(chart.color_of(*q2), chart.color_of(*q));
  EXPECT_EQ(chart.color_of(*q8), chart.color_of(*q));
  EXPECT_EQ(q2->dash, 0);
  EXPECT_EQ(q8->dash, 1);
  EXPECT_NE(series(raw, "No Compression"), nullptr);  // one parameter ("GDumb"): never split
  const Series* pub = series(*cut, "published");
  EXPECT_EQ(pub->style, SeriesStyle::kReference);
  EXPECT_NEAR(pub->x[1], 1.46, 0.01);  // GDumb k=500: 1,536,000 B
  // Same colour for a compressor in both panels.
  EXPECT_EQ(chart.color_of(*series(chart.facets[0], "Thinning")), chart.color_of(*series(*cut, "Thinning")));

  auto slots = replay_memory_chart(points, MemoryAxis::kSlots, {}, "s");
  EXPECT_EQ(slots.trace_count(), static_cast<size_t>(testing::kFakeReplaySlotTraces));
  // A parameter sweep at one budget (seed 000): one line, each point labelled.
  const Series* thin = series(*facet(slots, "no encoding"), "Thinning");
  ASSERT_NE(thin, nullptr);
  EXPECT_EQ(thin->text, (std::vector<std::string>{"0.5", "0.8", "0.9"}));
}

TEST(ReplayChart, PassesSplitLinesOnlyWhenTheyDiffer) {
  std::vector<experiment::RunRecord> runs = {
      replay_run({.id = "a", .accuracy = 0.3, .mib = 1, .passes = 8}),
      replay_run({.id = "b", .accuracy = 0.4, .mib = 1, .passes = 128})};
  auto chart = replay_memory_chart(replay_points(runs), MemoryAxis::kMiB, {}, "c");
  ASSERT_EQ(chart.facets.size(), 1u);
  ASSERT_EQ(chart.facets[0].series.size(), 2u);
  EXPECT_EQ(chart.facets[0].series[0].name, "No Compression (8 passes)");
}

TEST(ReplayPoints, SettingsOfTheNewerCompressorsAreNotAveragedAsSeeds) {
  // Same budget, different JPEG quality: two points. Same quality, different seed: one
  // point, averaged.
  std::vector<experiment::RunRecord> runs = {
      replay_run({.id = "q30", .compressor = "jpeg", .param_key = "jpeg_quality", .param = 30,
                  .accuracy = 0.6}),
      replay_run({.id = "q90", .compressor = "jpeg", .param_key = "jpeg_quality", .param = 90,
                  .accuracy = 0.8}),
      replay_run({.id = "q90s1", .compressor = "jpeg", .param_key = "jpeg_quality", .param = 90,
                  .accuracy = 0.7, .seed = 1}),
      replay_run({.id = "pq", .compressor = "pq", .param_key = "pq_bits", .param = 4}),
      replay_run({.id = "pq8", .compressor = "pq", .param_key = "pq_bits", .param = 8}),
  };
  auto points = replay_points(runs);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].parameter, "q30");
  EXPECT_EQ(points[0].method(), "JPEG q30");  // self-describing: no "k="
  EXPECT_EQ(points[1].parameter, "q90");
  EXPECT_EQ(points[1].run_ids.size(), 2u);
  EXPECT_NEAR(points[1].accuracy, 0.75, 1e-12);
  EXPECT_NE(points[2].parameter, points[3].parameter);
}

TEST(ReplayPoints, ACompressorsOwnTagsNameAndGroupItsPoints) {
  // A compressor the report has never heard of: its run records its line, display name and
  // parameter (from its own options), and the report shows and groups by them.
  auto tagged = [](std::string id, std::string parameter, int seed, double accuracy) {
    auto r = replay_run({.id = id, .compressor = "half", .accuracy = accuracy, .seed = seed});
    r.tags["compressor_line"] = "half";
    r.tags["compressor_display"] = "Half Precision";
    r.tags["compressor_parameter"] = parameter;
    return r;
  };
  auto points = replay_points({tagged("a", "fp16", 0, 0.6), tagged("b", "fp16", 1, 0.8),
                               tagged("c", "bf16", 0, 0.5)});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].compressor, "half");
  EXPECT_EQ(points[0].compressor_name, "Half Precision");
  EXPECT_EQ(points[0].method(), "Half Precision fp16");
  EXPECT_EQ(points[0].run_ids.size(), 2u);  // seeds averaged
  EXPECT_NEAR(points[0].accuracy, 0.7, 1e-12);
  EXPECT_EQ(points[1].parameter, "bf16");  // another setting: its own point
}

TEST(Series, SortByXMovesEveryColumnAndKeepsTiesInOrder) {
  Series s("s");
  s.point(3, 0.3, "c", "hc").point(1, 0.1, "a", "ha").point(2, 0.2, "b1", "hb1").point(2, 0.25, "b2", "hb2");
  s.sort_by_x();
  EXPECT_EQ(s.x, (std::vector<double>{1, 2, 2, 3}));
  EXPECT_EQ(s.y, (std::vector<double>{0.1, 0.2, 0.25, 0.3}));
  EXPECT_EQ(s.text, (std::vector<std::string>{"a", "b1", "b2", "c"}));
  EXPECT_EQ(s.hover, (std::vector<std::string>{"ha", "hb1", "hb2", "hc"}));
}

std::vector<ReplayPoint> hand_made_points() {
  // (memory MiB, accuracy, compressor/param): the front is a(1,0.2) c(2,0.5) e(8,0.6).
  std::vector<experiment::RunRecord> runs = {
      replay_run({.id = "a", .compressor = "thinning", .param_key = "compression_factor", .param = 0.9,
                  .memory_bytes = "1MiB", .accuracy = 0.2, .mib = 1}),
      replay_run({.id = "b", .compressor = "thinning", .param_key = "compression_factor", .param = 0.5,
                  .memory_bytes = "2MiB", .accuracy = 0.15, .mib = 1.9}),
      replay_run({.id = "c", .compressor = "quantization", .param_key = "n_states", .param = 4,
                  .memory_bytes = "2MiB", .accuracy = 0.5, .mib = 2}),
      replay_run({.id = "d", .memory_bytes = "8MiB", .accuracy = 0.45, .mib = 7.9}),
      replay_run({.id = "e", .compressor = "quantization", .param_key = "n_states", .param = 8,
                  .memory_bytes = "8MiB", .accuracy = 0.6, .mib = 8}),
      replay_run({.id = "f", .compressor = "quantization", .param_key = "n_states", .param = 2,
                  .memory_bytes = "8MiB", .accuracy = 0.6, .mib = 8.5}),  // tie, more memory
  };
  return replay_points(runs);
}

TEST(ReplayPareto, KeepsOnlyNonDominatedRunsInMemoryOrder) {
  auto front = pareto_front(hand_made_points());
  std::vector<std::string> ids;
  for (auto& p : front) ids.push_back(p.run_ids[0]);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c", "e"}));
  EXPECT_EQ(front[1].method(), "Quantization (local) k=4");
}

TEST(ReplayPareto, BestPerBudgetInBudgetOrder) {
  auto best = best_per_budget(hand_made_points());
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].budget, "1MiB");
  EXPECT_EQ(best[0].best.run_ids[0], "a");
  EXPECT_EQ(best[1].budget, "2MiB");
  EXPECT_EQ(best[1].best.run_ids[0], "c");
  EXPECT_EQ(best[1].points, 2);
  EXPECT_EQ(best[2].budget, "8MiB");
  EXPECT_EQ(best[2].best.run_ids[0], "e");  // tie at 0.6: less memory wins
  EXPECT_EQ(best[2].points, 3);
}

TEST(ReplaySections, TablesAndPublishedOnlyForCifar10) {
  auto runs = testing::fake_replay_runs();
  runs.push_back(replay_run({.id = "c100", .dataset = "cifar100", .accuracy = 0.2, .mib = 6}));
  auto sections = replay_sections(runs, builtin_published_cifar10());
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].id, "replay-cifar10");
  EXPECT_EQ(sections[0].charts.size(), 3u);
  EXPECT_EQ(sections[0].charts[2].trace_count(), static_cast<size_t>(testing::kFakeReplayParetoTraces));
  std::vector<std::string> names;
  for (auto& t : sections[0].tables) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"replay_cifar10_pareto", "replay_cifar10_best_per_budget",
                                             "replay_cifar10_points", "replay_cifar10_published"}));
  EXPECT_EQ(sections[1].id, "replay-cifar100");
  EXPECT_EQ(sections[1].tables.size(), 3u);  // no published table
  for (auto& f : sections[1].charts[0].facets)
    for (auto& s : f.series) EXPECT_NE(s.name, "published");
}

TEST(TableCsv, QuotesWhereNeeded) {
  Table t{"t", "T", {"method", "accuracy"}, {}, ""};
  t.row({"CutR18(3) + Thinning k=0.9", "0.5"}).row({"a, \"b\"", "1"});
  EXPECT_EQ(t.to_csv(), "method,accuracy\nCutR18(3) + Thinning k=0.9,0.5\n\"a, \"\"b\"\"\",1\n");
  EXPECT_THROW(t.row({"only one"}), Error);
  EXPECT_NE(t.to_html().find("a, &quot;b&quot;"), std::string::npos);
}

TEST(TableCsv, ParetoTableCsvHasOneRowPerFrontPoint) {
  auto sections = replay_sections({replay_run({.id = "a", .memory_bytes = "1MiB", .accuracy = 0.2, .mib = 1}),
                                   replay_run({.id = "b", .memory_bytes = "2MiB", .accuracy = 0.1, .mib = 2}),
                                   replay_run({.id = "c", .memory_bytes = "3MiB", .accuracy = 0.3, .mib = 3})},
                                  {});
  ASSERT_EQ(sections.size(), 1u);
  const Table& front = sections[0].tables[0];
  EXPECT_EQ(front.name, "replay_cifar10_pareto");
  EXPECT_EQ(front.to_csv(),
            "memory_mib,method,accuracy,slots,budget,passes\n"
            "1,GDumb,0.2,1000,1MiB,128\n"
            "3,GDumb,0.3,1000,3MiB,128\n");
}

TEST(PruneView, RunsCsvKeepsTheOriginalColumnOrder) {
  auto t = prune_runs_table(testing::fake_prune_runs());
  std::vector<std::string> tail(t.columns.end() - 15, t.columns.end());
  EXPECT_EQ(tail, (std::vector<std::string>{
                      "run_id", "experiment_name", "timestamp", "run_time", "final_accuracy_trainset",
                      "final_accuracy_valset", "final_accuracy_testset", "final_loss_trainset",
                      "final_loss_valset", "final_loss_testset", "final_l0_loss", "final_sigma",
                      "l0_norm", "nonzeros", "compression_ratio"}));
  EXPECT_EQ(t.columns.front(), "alpha");  // the arguments first
  ASSERT_EQ(t.rows.size(), 9u);
  EXPECT_EQ(t.rows[0].back(), "3");  // 266610 / 88870
  auto chart = prune_chart(testing::fake_prune_runs(), "p");
  EXPECT_EQ(chart.trace_count(), 3u);  // a line per procedure
  EXPECT_TRUE(chart.log_x);
}

TEST(SearchView, FrontRespectsDirections) {
  auto s = study_of(testing::fake_search_run());
  ASSERT_EQ(s.metrics.size(), 3u);
  EXPECT_EQ(s.metrics[0], "accuracy");
  EXPECT_EQ(s.metrics[1], "average_bitwidth");
  EXPECT_EQ(s.objectives, 2u);
  auto front = study_front(s);
  ASSERT_FALSE(front.empty());
  for (size_t k = 1; k < front.size(); ++k) {
    // More bits must buy more accuracy along the front.
    EXPECT_GT(s.values[1][front[k]], s.values[1][front[k - 1]]);
    EXPECT_GT(s.values[0][front[k]], s.values[0][front[k - 1]]);
  }
}

TEST(SearchView, FailedTrialsAreNaNAndOnNoFront) {
  auto r = testing::fake_search_run();
  r.series["trial_accuracy"][3] = std::nan("");
  r.series["trial_average_bitwidth"][3] = std::nan("");
  auto s = study_of(r);
  for (auto i : study_front(s)) EXPECT_NE(i, 3u);
  auto sections = search_sections({r});
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].charts.size(), 3u);  // trials, front, all metrics
  EXPECT_EQ(sections[0].charts[0].facets[0].series[0].x.size(), 11u);  // trial 3 left out
}

TEST(SearchView, AllMetricsPerConfigurationSortedByTheObjective) {
  auto s = study_of(testing::fake_search_run());
  auto c = all_metrics_chart(s, "m");
  ASSERT_EQ(c.facets.size(), 1u);
  ASSERT_EQ(c.trace_count(), 3u);  // accuracy, average_bitwidth, latency_ms
  const auto& acc = c.facets[0].series[0];
  EXPECT_EQ(acc.name, "accuracy");
  ASSERT_EQ(acc.x.size(), 12u);
  for (size_t k = 1; k < acc.y.size(); ++k) EXPECT_LE(acc.y[k], acc.y[k - 1]);  // best first
  EXPECT_DOUBLE_EQ(acc.y.front(), 1.0);  // divided by its largest value
  for (auto& line : c.facets[0].series)
    for (double y : line.y) EXPECT_LE(std::abs(y), 1.0);
  // The raw values stay readable in the hover text.
  EXPECT_NE(acc.hover.front().find("average_bitwidth"), std::string::npos);
}

TEST(StudyGroup, BestSoFarFollowsTheDirection) {
  std::vector<double> v = {3, 1, std::nan(""), 4, 2};
  EXPECT_EQ(best_so_far(v, true), (std::vector<double>{3, 3, 3, 4, 4}));
  EXPECT_EQ(best_so_far(v, false), (std::vector<double>{3, 1, 1, 1, 1}));
  EXPECT_TRUE(std::isnan(best_so_far({std::nan(""), 1}, true)[0]));
}

TEST(StudyGroup, RunsDifferingOnlyInSamplerAndSeedShareAChart) {
  auto groups = study_groups(testing::fake_sampler_group_runs());
  ASSERT_EQ(groups.size(), 2u);  // jsc-tiny (3 runs), lenet5 (1 run)
  const auto& g = groups[0];
  EXPECT_EQ(g.studies.size(), 3u);
  EXPECT_EQ(g.metric, "accuracy");
  EXPECT_TRUE(g.maximize);
  ASSERT_EQ(g.samplers.size(), 2u);
  EXPECT_EQ(g.samplers[0].sampler, "brute-force");
  EXPECT_EQ(g.samplers[1].sampler, "tpe");
  EXPECT_EQ(g.samplers[1].run_ids, (std::vector<std::string>{"tp0", "tp1"}));
  EXPECT_EQ(groups[1].studies.size(), 1u);

  auto c = sample_efficiency_chart(g, "se");
  ASSERT_EQ(c.trace_count(), 2u);  // one line per sampler
  const auto& bf = c.facets[0].series[0];
  const auto& tpe = c.facets[0].series[1];
  EXPECT_EQ(bf.x.size(), 9u);
  EXPECT_EQ(tpe.x.size(), 6u);
  EXPECT_DOUBLE_EQ(bf.y.back(), 0.47);
  EXPECT_NEAR(tpe.y[2], 0.455, 1e-12);  // median of the seeds' 0.45 and 0.46
  for (auto* line : {&bf, &tpe})
    for (size_t k = 1; k < line->y.size(); ++k) EXPECT_GE(line->y[k], line->y[k - 1]) << line->name;

  auto t = sample_efficiency_table(g, "se");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].back(), "6");  // brute force reached 0.47 at its 6th trial
  EXPECT_EQ(t.rows[1].back(), "-");  // the tpe median never did
}

TEST(StudyGroup, MinimizedObjectivesDecrease) {
  auto runs = testing::fake_sampler_group_runs();
  for (auto& r : runs) {
    r.tags["direction_accuracy"] = "minimize";
    r.tags["objectives"] = "model_size";
  }
  auto groups = study_groups(runs);
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0].metric, "model_size");
  EXPECT_FALSE(groups[0].maximize);
  auto c = sample_efficiency_chart(groups[0], "se");
  for (auto& line : c.facets[0].series) {
    EXPECT_DOUBLE_EQ(line.y.front(), 100.0);
    for (size_t k = 1; k < line.y.size(); ++k) EXPECT_LE(line.y[k], line.y[k - 1]);
  }
}

TEST(StudyGroup, OtherOptionsSplitGroupsAndSingleSamplerGroupsGetNoChart) {
  auto runs = testing::fake_sampler_group_runs();
  auto c = nlohmann::json::parse(runs[1].config_json);
  c["model"] = "mlp";
  runs[1].config_json = c.dump();
  auto groups = study_groups(runs);
  EXPECT_EQ(groups.size(), 3u);
  auto sections = study_group_sections(runs);
  ASSERT_EQ(sections.size(), 1u);  // brute-force + tp1 still compare
  EXPECT_EQ(sections[0].charts.size(), 1u);
  EXPECT_TRUE(study_group_sections({runs[3]}).empty());
}

TEST(PruneView, RegressionRunsPlotTheTestLoss) {
  auto runs = testing::fake_prune_runs();
  for (auto& r : runs) r.metrics.erase("test_accuracy");
  auto chart = prune_chart(runs, "p");
  EXPECT_EQ(chart.y_label, "Test loss");
  EXPECT_EQ(chart.trace_count(), 3u);
}

TEST(Published, ParsesAndRejectsPercentages) {
  auto p = parse_published_csv("method,budget_bytes,accuracy,source\nX,1048576,0.5,\"a, b\"\n", "t.csv");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_DOUBLE_EQ(p[0].mib(), 1.0);
  EXPECT_EQ(p[0].source, "a, b");
  EXPECT_THROW(parse_published_csv("method,budget_bytes,accuracy,source\nX,1,45.8,s\n", "t.csv"), Error);
  EXPECT_THROW(parse_published_csv("method,bytes\n", "t.csv"), Error);
}

TEST(Html, InlinesPlotlyAndLoadsNothingFromTheNetwork) {
  auto doc = build_report(testing::fake_all_runs(), builtin_published_cifar10(), "/tmp/r");
  HtmlOptions o;
  o.plotly_js = plotly_js();
  std::string html = render_html(doc, o);
  std::regex external(R"(<(script|link|img)[^>]*(src|href)\s*=\s*["']?(https?:)?//)", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, external)) << "the page must work offline";
  if (plotly_js().empty()) GTEST_SKIP() << "this build has no plotly.js (run scripts/setup.sh)";
  EXPECT_NE(html.find(std::string(plotly_js().substr(0, 200))), std::string::npos);
  EXPECT_GT(html.size(), plotly_js().size());
  // Every chart has a plot element and a figure.
  for (auto& s : doc.sections)
    for (auto& c : s.charts) {
      EXPECT_NE(html.find("id=\"" + c.id + "\""), std::string::npos) << c.id;
      EXPECT_NE(html.find(fmt::format("data-expected-traces=\"{}\"", c.trace_count())), std::string::npos);
    }
  // The figures' JSON cannot close its <script> early.
  auto start = html.find("id=\"nnc-figures\">");
  ASSERT_NE(start, std::string::npos);
  auto end = html.find("</script>", start);
  EXPECT_EQ(html.substr(start, end - start).find("</"), std::string::npos);
}

TEST(Html, EscapesRunText) {
  auto r = replay_run({.id = "<b>x</b>", .accuracy = 0.3, .mib = 1});
  auto doc = build_report({r}, {}, "dir");
  std::string html = render_html(doc, {});
  EXPECT_EQ(html.find("<b>x</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
}

TEST(Gnuplot, ScriptAndDataMatchTheChart) {
  auto points = replay_points(testing::fake_replay_runs());
  auto chart = replay_memory_chart(points, MemoryAxis::kMiB, builtin_published_cifar10(), "mib");
  std::string data = gnuplot_data(chart);
  std::string script = gnuplot_script(chart, "mib.dat", "mib.png", "pngcairo");
  // One data block per series, each plotted once by index.
  size_t blocks = 0;
  for (size_t p = data.find("# facet"); p != std::string::npos; p = data.find("# facet", p + 1)) ++blocks;
  EXPECT_EQ(blocks, chart.trace_count());
  EXPECT_NE(script.find("set logscale x"), std::string::npos);
  EXPECT_NE(script.find("set multiplot layout 1,2"), std::string::npos);
  EXPECT_NE(script.find(fmt::format("index {} using 1:2 ", chart.trace_count() - 1)), std::string::npos);
  EXPECT_NE(data.find("\"GDumb k=500\""), std::string::npos);
}

TEST(CgpSensitivity, OneTracePerThresholdLayersOnXDeltasInPointsOnY) {
  auto sections = cgp_sensitivity_sections(testing::fake_cgp_sensitivity_runs());
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].charts.size(), 1u);  // mobilenetv2's single layer draws no chart
  const Chart& c = sections[0].charts[0];
  EXPECT_EQ(c.id, "cgp-sensitivity-lenet5-classic");
  std::vector<std::string> ticks;
  for (auto& [at, label] : c.x_ticks) ticks.push_back(label);
  EXPECT_EQ(ticks, (std::vector<std::string>{"conv1", "conv2", "fc1", "fc2"}));
  ASSERT_EQ(c.facets.size(), 1u);
  const auto& series = c.facets[0].series;
  ASSERT_EQ(series.size(), 3u);  // loosest first, from each run's own config
  EXPECT_EQ(series[0].name, "RMS 50");
  EXPECT_EQ(series[1].name, "RMS 15");
  EXPECT_EQ(series[2].name, "RMS 0");
  // RMS 50: 3 layers x 2 seeds + fc2's first stage; x near the layer's tick, y in points.
  std::multimap<std::string, double> got;
  for (size_t i = 0; i < series[0].x.size(); ++i) {
    const auto tick = static_cast<size_t>(std::lround(series[0].x[i]));
    EXPECT_LT(std::abs(series[0].x[i] - double(tick)), 0.35);
    got.emplace(ticks.at(tick), series[0].y[i]);
  }
  ASSERT_EQ(got.size(), 7u);
  auto near = [&](const std::string& layer, double y) {
    for (auto [it, end] = got.equal_range(layer); it != end; ++it)
      if (std::abs(it->second - y) < 1e-9) return true;
    return false;
  };
  EXPECT_TRUE(near("conv1", -5.0));
  EXPECT_TRUE(near("conv1", -5.1));
  EXPECT_TRUE(near("fc1", -15.0));
  EXPECT_TRUE(near("fc2", -1.0));
  ASSERT_EQ(series[2].y.size(), 1u);  // only the threshold list reached RMS 0
  EXPECT_DOUBLE_EQ(series[2].y[0], -3.0);
  EXPECT_EQ(ticks.at(size_t(std::lround(series[2].x[0]))), "fc2");
  // Strips of one layer do not overlap: each threshold has its own offset.
  EXPECT_NE(series[0].x[0] - std::floor(series[0].x[0] + 0.5), series[1].x[0] - std::floor(series[1].x[0] + 0.5));
  // The table: per model, layer, threshold; mean of the two seeds.
  const Table& t = sections[0].tables.at(0);
  EXPECT_EQ(t.name, "cgp_layer_sensitivity");
  EXPECT_EQ(t.rows.at(0), (std::vector<std::string>{"lenet5-classic", "conv1", "RMS 50", "2", "-5.05", "-5.1",
                                                     "-5", "5000"}));
  // The PNG and the HTML axis show the layer names.
  EXPECT_NE(gnuplot_script(c, "s.dat", "s.png", "pngcairo").find("set xtics (\"conv1\" 0, \"conv2\" 1"),
            std::string::npos);
}

TEST(CgpSensitivity, NaturalOrderAndRunsWithoutDeltasLeftOut) {
  EXPECT_TRUE(natural_less("features.2.conv.1.0", "features.10.conv.1.0"));
  EXPECT_FALSE(natural_less("features.10", "features.2"));
  EXPECT_TRUE(natural_less("conv1", "conv1,conv2"));
  EXPECT_TRUE(sensitivity_points(testing::fake_cgp_runs()).empty());
  EXPECT_TRUE(cgp_sensitivity_sections(testing::fake_cgp_runs()).empty());
}

TEST(CgpGivenWeights, EnergyAndGatesAgainstTheGivenCountOneLinePerLayerAndThreshold) {
  std::vector<experiment::RunRecord> runs;
  for (int n : {256, 0, 16}) {
    experiment::RunRecord r;
    r.id = fmt::format("gw{}", n);
    r.kind = "cgp";
    r.status = experiment::RunStatus::Completed;
    r.config_json = nlohmann::json{{"model", "lenet5-classic"}, {"rms_threshold", 10.0}}.dump();
    r.tags["layers"] = "conv2.weight";
    r.metrics = {{"given_weights", n}, {"distinct_weights", 200}, {"energy", 1000.0 - 4 * n}, {"gate_count", 50 - n / 8}};
    runs.push_back(r);
  }
  auto lone = runs[0];  // another layer at one count only: no line
  lone.id = "gwfc1";
  lone.tags["layers"] = "fc1.weight";
  runs.push_back(lone);
  auto sections = cgp_given_weights_sections(runs);
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].charts.size(), 2u);
  const auto& energy = sections[0].charts[0].facets.at(0).series;
  ASSERT_EQ(energy.size(), 1u);
  EXPECT_EQ(energy[0].name, "lenet5-classic conv2, RMS 10");
  EXPECT_EQ(energy[0].x, (std::vector<double>{0, 16, 256}));
  EXPECT_EQ(energy[0].y, (std::vector<double>{1000, 936, -24}));
  EXPECT_EQ(sections[0].charts[1].facets.at(0).series[0].y, (std::vector<double>{50, 48, 18}));
  EXPECT_TRUE(cgp_given_weights_sections(testing::fake_cgp_runs()).empty());
}

TEST(WriteReport, WritesHtmlCsvJsonAndScripts) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / fmt::format("nnc-report-test-{}", ::getpid());
  fs::remove_all(dir);
  {
    experiment::ResultsStore store(dir.string());
    for (auto& r : testing::fake_all_runs()) store.put(r);
  }
  ReportOptions o;
  o.results_dir = dir.string();
  o.images = false;  // gnuplot is exercised by the e2e test
  auto files = write_report(o);
  EXPECT_EQ(files.html, (dir / "report" / "report.html").string());
  EXPECT_TRUE(fs::exists(files.html));
  EXPECT_TRUE(fs::exists(dir / "report" / "runs.json"));
  EXPECT_TRUE(fs::exists(dir / "report" / "replay_all_runs.csv"));
  EXPECT_TRUE(fs::exists(dir / "report" / "prune_runs.csv"));
  EXPECT_TRUE(fs::exists(dir / "report" / "replay_cifar10_pareto.csv"));
  EXPECT_TRUE(fs::exists(dir / "report" / "cgp_runs.csv"));
  EXPECT_TRUE(fs::exists(dir / "report" / "train_summary.csv"));
  EXPECT_TRUE(fs::exists(dir / "report" / "replay-cifar10-mib.gp"));
  EXPECT_TRUE(fs::exists(dir / "report" / "replay-cifar10-mib.dat"));
  EXPECT_TRUE(fs::exists(dir / "report" / "cgp_layer_sensitivity.csv"));
  // replay 3, prune 1, quantize study 3, search studies 4 x 2, sample efficiency 1, cgp 2,
  // cgp sensitivity 1 (lenet5-classic; mobilenetv2 has one layer)
  EXPECT_EQ(files.charts, 3u + 1u + 3u + 8u + 1u + 2u + 1u);
  EXPECT_TRUE(files.images.empty());
  std::ifstream f(dir / "report" / "replay_cifar10_best_per_budget.csv");
  std::string header;
  std::getline(f, header);
  EXPECT_EQ(header, "budget,best method,accuracy,memory_mib,slots,passes,settings compared");
  fs::remove_all(dir);

  ReportOptions missing;
  missing.results_dir = (dir / "nothing").string();
  EXPECT_THROW(write_report(missing), Error);
}

}  // namespace
}  // namespace nnc::report
