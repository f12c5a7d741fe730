// Plug-in options (core/options.h, core/plugin_registry.h): one binding gives specs, the
// struct from values, labels, validation and ownership.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.h"
#include "core/options.h"
#include "core/plugin_registry.h"

namespace nnc {
namespace {

struct CodecOptions {
  int64_t quality = 50;          ///< 1..100
  std::string tables = "shared";
  double ratio = 0.5;
  bool fast = false;
  uint64_t seed = 7;
  static const OptionFields<CodecOptions>& fields() {
    static const auto f = OptionFields<CodecOptions>()
                              .add("codec_quality", &CodecOptions::quality, "quality 1..100")
                              .add("codec_tables", &CodecOptions::tables, "tables", {"shared", "per_item"})
                              .add("shared_ratio", &CodecOptions::ratio, "a ratio both codecs read")
                              .add("codec_fast", &CodecOptions::fast, "fast path")
                              .add("codec_seed", &CodecOptions::seed, "seed");
    return f;
  }
  void validate() const { NNC_CHECK(quality >= 1 && quality <= 100, "option 'codec_quality': expected 1..100, got {}", quality); }
  std::string label() const { return "codec q" + std::to_string(quality); }
  std::map<std::string, std::string> tags() const { return {{"parameter", "q" + std::to_string(quality)}}; }
};

struct PlainOptions {
  double ratio = 0.5;
  static const OptionFields<PlainOptions>& fields() {
    static const auto f = OptionFields<PlainOptions>().add("shared_ratio", &PlainOptions::ratio, "ratio");
    return f;
  }
  void validate() const {}
};

struct Thing {
  virtual ~Thing() = default;
  virtual std::string what() const = 0;
};
struct Codec : Thing {
  using Options = CodecOptions;
  Codec(const Options& o, int scale) : o(o), scale(scale) {}
  std::string what() const override { return "codec " + std::to_string(o.quality * scale); }
  Options o;
  int scale;
};
struct Plain : Thing {
  using Options = PlainOptions;
  Plain(const Options& o, int) : o(o) {}
  std::string what() const override { return "plain"; }
  Options o;
};

using Things = PluginRegistry<std::unique_ptr<Thing>, int>;
Things make_things() {
  Things r("thing", "thing");
  r.add<Codec>("codec", "a codec", {"Encoder"});
  r.add<Plain>("plain", "no options of its own but a shared one");
  return r;
}

TEST(OptionFields, SpecsCarryTheStructDefaults) {
  auto specs = CodecOptions::fields().specs();
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].key, "codec_quality");
  EXPECT_EQ(std::get<int64_t>(specs[0].default_value), 50);
  EXPECT_EQ(std::get<std::string>(specs[1].default_value), "shared");
  EXPECT_EQ(specs[1].choices, (std::vector<std::string>{"shared", "per_item"}));
  EXPECT_DOUBLE_EQ(std::get<double>(specs[2].default_value), 0.5);
  EXPECT_EQ(std::get<bool>(specs[3].default_value), false);
  EXPECT_EQ(std::get<int64_t>(specs[4].default_value), 7);
}

TEST(OptionFields, FromValuesKeepsDefaultsForMissingKeysAndRoundTrips) {
  auto o = CodecOptions::fields().from({{"codec_quality", int64_t{9}}, {"codec_fast", true},
                                        {"shared_ratio", int64_t{2}}, {"unrelated", std::string("x")}});
  EXPECT_EQ(o.quality, 9);
  EXPECT_TRUE(o.fast);
  EXPECT_DOUBLE_EQ(o.ratio, 2.0);  // an integer given for a number
  EXPECT_EQ(o.tables, "shared");
  auto back = CodecOptions::fields().to(o);
  EXPECT_EQ(std::get<int64_t>(back.at("codec_quality")), 9);
  EXPECT_EQ(CodecOptions::fields().describe(o),
            "codec_quality=9 codec_tables=shared shared_ratio=2 codec_fast=true codec_seed=7");
}

TEST(OptionFields, AWrongTypeNamesTheOption) {
  try {
    CodecOptions::fields().from({{"codec_quality", std::string("high")}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("codec_quality"), std::string::npos) << e.what();
  }
}

TEST(PluginRegistry, OptionSpecsAreOwnedAndSharedKeysMerged) {
  auto r = make_things();
  auto specs = r.option_specs();
  ASSERT_EQ(specs.size(), 5u);
  auto shared = std::find_if(specs.begin(), specs.end(), [](auto& s) { return s.key == "shared_ratio"; });
  ASSERT_NE(shared, specs.end());
  EXPECT_EQ(shared->owners.size(), 2u);
  OptionValues plain{{"thing", std::string("plain")}};
  OptionValues codec{{"thing", std::string("codec")}};
  EXPECT_TRUE(shared->in_effect(plain));
  EXPECT_TRUE(shared->in_effect(codec));
  auto quality = std::find_if(specs.begin(), specs.end(), [](auto& s) { return s.key == "codec_quality"; });
  EXPECT_FALSE(quality->in_effect(plain));
  EXPECT_TRUE(quality->in_effect(codec));
  OptionSpec kinds_own{"epochs", int64_t{1}, "kind option"};
  EXPECT_TRUE(kinds_own.in_effect(plain));
}

TEST(PluginRegistry, OptionsOfAnotherMemberSetAwayFromDefaultAreNamedInert) {
  auto specs = make_things().option_specs();
  OptionValues plain{{"thing", std::string("plain")}, {"codec_quality", int64_t{20}}};
  EXPECT_EQ(inert_options(specs, plain),
            std::vector<std::string>{"option 'codec_quality' has no effect: it applies to thing codec only, "
                                     "and the thing is plain"});
  plain["codec_quality"] = CodecOptions::fields().specs()[0].default_value;  // at its default: silent
  EXPECT_TRUE(inert_options(specs, plain).empty());
  OptionValues codec{{"thing", std::string("codec")}, {"codec_quality", int64_t{20}}};
  EXPECT_TRUE(inert_options(specs, codec).empty());  // selected: in effect
}

TEST(PluginRegistry, RanksMembersInRegistrationOrderNotByName) {
  Things r("thing", "thing");
  r.add<Plain>("zeta", "registered first");
  r.add<Codec>("alpha", "registered second", {"Encoder"});
  EXPECT_EQ(r.rank({{"thing", std::string("zeta")}}), 0);
  EXPECT_EQ(r.rank({{"thing", std::string("encoder")}}), 1);  // through an alias too
  EXPECT_EQ(r.names(), (std::vector<std::string>{"alpha", "zeta"}));  // names stay sorted
  EXPECT_THROW(r.rank({{"thing", std::string("nope")}}), Error);
  // As a run records them: the member's tags and its place, under the family's prefix.
  EXPECT_EQ(r.run_tags({{"thing", std::string("alpha")}, {"codec_quality", int64_t{20}}}, "thing"),
            (std::map<std::string, std::string>{{"thing_parameter", "q20"}, {"thing_order", "1"}}));
  EXPECT_EQ(r.run_tags({{"thing", std::string("zeta")}}, "thing"),
            (std::map<std::string, std::string>{{"thing_order", "0"}}));
}

TEST(OptionChoices, TheEmptyChoiceShowsAsQuotes) {
  EXPECT_EQ(choices_text({"tpe", "random", ""}, ", "), "tpe, random, \"\"");
  EXPECT_EQ(choices_text({}, ","), "");
}

TEST(PluginRegistry, SelectorOptionComesFromTheMembers) {
  auto r = make_things();
  auto spec = r.selector_option("plain");
  EXPECT_EQ(spec.key, "thing");
  EXPECT_EQ(std::get<std::string>(spec.default_value), "plain");
  EXPECT_EQ(spec.choices, (std::vector<std::string>{"codec", "plain"}));
  EXPECT_EQ(spec.help, "codec (alias Encoder): a codec; plain: no options of its own but a shared one");
  EXPECT_EQ(spec.canonical("ENCODER"), "codec");  // an alias is stored as the name it stands for
  EXPECT_EQ(spec.canonical("nope"), "nope");      // unknown: left for the choices check to name
  auto all = r.selector_and_options("plain");
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all[0].key, "thing");
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](auto& s) { return s.key == "codec_quality"; }));
}

TEST(PluginRegistry, CreatesValidatesAndLabelsFromTheMembersOwnOptions) {
  auto r = make_things();
  OptionValues v{{"thing", std::string("encoder")}, {"codec_quality", int64_t{20}}};  // alias, any case
  EXPECT_EQ(r.create(v, 2)->what(), "codec 40");
  EXPECT_EQ(r.label(v), "codec q20");
  EXPECT_EQ(r.label({{"thing", std::string("plain")}}), "plain");
  EXPECT_EQ(r.tags(v), (std::map<std::string, std::string>{{"parameter", "q20"}}));
  EXPECT_TRUE(r.tags({{"thing", std::string("plain")}}).empty());  // no tags() of its own
  v["codec_quality"] = int64_t{0};
  EXPECT_THROW(r.validate(v), Error);
  EXPECT_THROW(r.create(v, 1), Error);
  try {
    r.create({{"thing", std::string("nope")}}, 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'thing'"), std::string::npos) << m;
    EXPECT_NE(m.find("codec, plain"), std::string::npos) << m;
  }
}

TEST(PluginRegistry, ConflictingDeclarationsOfOneKeyAreRefused) {
  std::vector<OptionSpec> specs{{"k", int64_t{1}, "", {}, true, {}, {}, {OptionOwner{"s", "a"}}}};
  EXPECT_THROW(merge_option_specs(specs, {{"k", int64_t{2}, "", {}, true, {}, {}, {OptionOwner{"s", "b"}}}}), Error);
  EXPECT_THROW(merge_option_specs(specs, {{"k", int64_t{1}, ""}}), Error);  // kind's and a plug-in's
}

TEST(PluginRegistry, AMemberWithoutOptionsOwnsNone) {
  struct Bare : Thing {
    using Options = NoOptions;
    Bare(const Options&, int) {}
    std::string what() const override { return "bare"; }
  };
  auto r = make_things();
  r.add<Bare>("bare", "no options");
  EXPECT_TRUE(r.option_specs("bare").empty());
  EXPECT_EQ(r.option_specs().size(), 5u);
  EXPECT_EQ(r.create({{"thing", std::string("bare")}}, 1)->what(), "bare");
  EXPECT_EQ(r.describe({{"thing", std::string("bare")}}), "");
}

}  // namespace
}  // namespace nnc
