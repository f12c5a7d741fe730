// Config parsing and resolution: by type, name, regex, default, NA; errors name file and key.
#include <gtest/gtest.h>

#include "core/error.h"
#include "quant/quant_config.h"
#include "support/expect_error.h"

using namespace nnc::quant;

namespace {

const char* kByType = R"(
[passes.quantize]
by = "type"
[passes.quantize.default.config]
name = "NA"
[passes.quantize.linear.config]
name = "integer"
data_in_width = 8
data_in_frac_width = 4
weight_width = 4
weight_frac_width = "NA"
bias_width = 6
bias_frac_width = 3
)";

std::string error_of(const std::string& text, const std::string& source = "cfg.toml") {
  return nnc::testing::error_message([&] { parse_quant_toml(text, source); });
}

}  // namespace

TEST(QuantConfig, ByType) {
  auto c = parse_quant_toml(kByType, "by_type.toml");
  EXPECT_EQ(c.by, ConfigBy::kType);
  auto fc = c.resolve({"fc1"}, "linear");
  EXPECT_EQ(fc.key, "linear");
  ASSERT_TRUE(fc.config.quantized());
  EXPECT_EQ(*fc.config.data_in, FixedPoint(8, 4));
  EXPECT_EQ(*fc.config.weight, FixedPoint(4, 2));  // "NA" -> width // 2
  EXPECT_EQ(*fc.config.bias, FixedPoint(6, 3));
  EXPECT_FALSE(fc.config.data_out.has_value());
  auto relu = c.resolve({"relu1"}, "relu");
  EXPECT_EQ(relu.key, "default");
  EXPECT_FALSE(relu.config.quantized());
  EXPECT_EQ(c.resolve({"bn"}, "batch_norm1d").key, "-");  // never quantized
}

TEST(QuantConfig, ByNameWithAliases) {
  auto c = parse_quant_toml(R"(
[passes.quantize]
by = "name"
[passes.quantize.default.config]
name = "integer"
data_in_width = 8
[passes.quantize.seq_blocks_2.config]
name = "integer_floor"
weight_width = 2
[passes.quantize.fc2.config]
name = "NA"
)");
  auto fc = c.resolve({"fc", "seq_blocks_2"}, "linear");
  EXPECT_EQ(fc.key, "seq_blocks_2");
  EXPECT_TRUE(fc.config.weight->floor);
  EXPECT_FALSE(fc.config.data_in.has_value());
  EXPECT_FALSE(c.resolve({"fc2"}, "linear").config.quantized());
  auto other = c.resolve({"fc1"}, "linear");
  EXPECT_EQ(other.key, "default");
  EXPECT_EQ(other.config.data_in->width, 8);
}

TEST(QuantConfig, RegexFullMatchFirstWins) {
  auto c = parse_quant_toml(R"(
[passes.quantize]
by = "regex_name"
[passes.quantize."fc[12]".config]
name = "integer"
weight_width = 4
[passes.quantize."fc.*".config]
name = "integer"
weight_width = 8
)");
  EXPECT_EQ(c.resolve({"fc1"}, "linear").config.weight->width, 4);
  EXPECT_EQ(c.resolve({"fc3"}, "linear").config.weight->width, 8);
  EXPECT_EQ(c.resolve({"xfc1"}, "linear").key, "default");  // full match only
  EXPECT_EQ(c.resolve({"conv1"}, "conv2d").key, "default");
}

TEST(QuantConfig, CheckAgainstLayers) {
  auto by_name = parse_quant_toml(R"(
[passes.quantize]
by = "name"
[passes.quantize.fc9.config]
name = "NA"
)", "n.toml");
  std::vector<std::pair<std::vector<std::string>, std::string>> layers = {
      {{"fc1"}, "linear"}, {{"relu1"}, "relu"}, {{"fc2"}, "linear"}};
  try {
    by_name.check_against(layers);
    FAIL();
  } catch (const nnc::Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("n.toml"), std::string::npos) << m;
    EXPECT_NE(m.find("fc9"), std::string::npos) << m;
    EXPECT_NE(m.find("fc1, relu1, fc2"), std::string::npos) << m;
  }
  QuantConfig by_type;
  by_type.set("batchnorm", LayerQuantConfig::integer(8, 8, 8));
  EXPECT_THROW(by_type.check_against(layers), nnc::Error);
}

TEST(QuantConfig, ErrorsNameFileAndKey) {
  std::string bad_field = kByType;
  bad_field.replace(bad_field.find("weight_width"), 12, "weigth_width");
  auto m = error_of(bad_field);
  EXPECT_NE(m.find("cfg.toml"), std::string::npos) << m;
  EXPECT_NE(m.find("passes.quantize.linear.config.weigth_width"), std::string::npos) << m;

  m = error_of("[passes.quantize]\nby = \"kind\"\n");
  EXPECT_NE(m.find("passes.quantize.by"), std::string::npos) << m;
  m = error_of("[passes.quantize.linear.config]\nname = \"integer\"\n");
  EXPECT_NE(m.find("passes.quantize.by"), std::string::npos) << m;
  m = error_of("[passes.quantize]\nby = \"type\"\n[passes.quantize.linear.config]\n"
               "name = \"integer\"\nweight_width = \"eight\"\n");
  EXPECT_NE(m.find("passes.quantize.linear.config.weight_width"), std::string::npos) << m;
  m = error_of("[passes.quantize]\nby = \"type\"\n[passes.quantize.linear.config]\n"
               "name = \"int\"\n");
  EXPECT_NE(m.find("passes.quantize.linear.config.name"), std::string::npos) << m;
  m = error_of("[passes.quantize]\nby = \"type\"\n[passes.quantize.linear.config]\n"
               "name = \"integer\"\nweight_width = 40\n");
  EXPECT_NE(m.find("out of range"), std::string::npos) << m;
  m = error_of("[passes]\nx = 1\n");
  EXPECT_NE(m.find("[passes.quantize]"), std::string::npos) << m;
  m = error_of("[passes.quantize\n");
  EXPECT_NE(m.find("cfg.toml:"), std::string::npos) << m;
  EXPECT_THROW(load_quant_toml("/nonexistent/q.toml"), nnc::Error);
}

TEST(QuantConfig, NameNaIgnoresWidths) {
  auto c = layer_config_from_fields({{"name", std::string("NA")}, {"weight_width", int64_t{4}}},
                                    "x");
  EXPECT_FALSE(c.quantized());
  EXPECT_EQ(c.describe(), "float");
  EXPECT_EQ(LayerQuantConfig::integer(8, 4, 8).describe(), "integer in Q8.4 w Q4.2 b Q8.4");
}
