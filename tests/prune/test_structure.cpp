// Random gradient pruning on a hand-built net; neuron deletion leaves outputs unchanged.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/mlp.h"
#include "prune/neuron_deletion.h"
#include "prune/random_gradient_pruning.h"

using namespace nnc::prune;
using nnc::models::MLP;

namespace {
std::shared_ptr<MLP> hand_built() {
  // 2 -> 3 -> 3 -> 1, tanh. Structure (by construction):
  //  * hidden1 neuron 2 has no incoming weights and bias 0: tanh(0) = 0, so its outgoing
  //    weights get zero gradient -> dead (fc2.weight[:,2]);
  //  * hidden2 neuron 1 has no outgoing weight -> its incoming weights and bias are dead;
  //  * everything else is connected.
  auto net = std::make_shared<MLP>(std::vector<int64_t>{2, 3, 3, 1}, std::vector<std::string>{"tanh"});
  torch::NoGradGuard g;
  auto& l = net->linears();
  l[0]->weight.copy_(torch::tensor({{0.5f, -0.4f}, {0.3f, 0.8f}, {0.f, 0.f}}));
  l[0]->bias.copy_(torch::tensor({0.1f, -0.2f, 0.f}));
  l[1]->weight.copy_(torch::tensor({{0.7f, 0.2f, 0.9f}, {-0.5f, 0.4f, 0.6f}, {0.3f, -0.3f, -0.8f}}));
  l[1]->bias.copy_(torch::tensor({0.05f, 0.1f, -0.1f}));
  l[2]->weight.copy_(torch::tensor({{1.1f, 0.f, -0.6f}}));
  l[2]->bias.copy_(torch::tensor({0.2f}));
  return net;
}
}  // namespace

TEST(RandomGradientPruning, RemovesExactlyTheStructurallyDeadWeights) {
  auto net = hand_built();
  Masks masks(*net);
  auto mse = [](const torch::Tensor& o, const torch::Tensor& y) { return torch::mse_loss(o, y.view_as(o)); };
  int64_t zeroed = random_gradient_pruning(*net, [&](const torch::Tensor& x) { return net->forward(x); }, masks, mse,
                                           RgpInput{{64, 2}, {64, 1}, 0}, 11);
  const auto& l = net->linears();
  // Dead: fc2.weight[:,2] (3 entries, all nonzero), fc2.weight[1,:] (3, one shared with the
  // column) and fc2.bias[1]: 3 + 2 + 1 = 6.
  EXPECT_EQ(zeroed, 6);
  auto expected_w2 = torch::tensor({{0.7f, 0.2f, 0.f}, {0.f, 0.f, 0.f}, {0.3f, -0.3f, 0.f}});
  EXPECT_TRUE(torch::equal(l[1]->weight.detach(), expected_w2));
  EXPECT_TRUE(torch::equal(l[1]->bias.detach(), torch::tensor({0.05f, 0.f, -0.1f})));
  EXPECT_TRUE(torch::equal(l[0]->weight.detach(), torch::tensor({{0.5f, -0.4f}, {0.3f, 0.8f}, {0.f, 0.f}})));
  EXPECT_EQ(l[2]->weight.detach().ne(0).sum().item<int64_t>(), 2);
  // Idempotent: a second pass finds nothing more.
  EXPECT_EQ(random_gradient_pruning(*net, [&](const torch::Tensor& x) { return net->forward(x); }, masks, mse,
                                    RgpInput{{64, 2}, {64, 1}, 0}, 12),
            0);
}

TEST(NeuronDeletion, OutputsUnchangedAndStateSliced) {
  for (std::string act : {"tanh", "relu"}) {
    torch::manual_seed(4);
    auto net = std::make_shared<MLP>(std::vector<int64_t>{4, 6, 5, 2}, std::vector<std::string>{act});
    Masks masks(*net);
    {
      torch::NoGradGuard g;
      auto& l = net->linears();
      torch::Tensor(l[0]->weight).index_put_({1}, 0.0);  // dead, with a nonzero bias: folded into fc2.bias
      torch::Tensor(l[0]->bias).index_put_({1}, 0.7);
      torch::Tensor(l[0]->weight).index_put_({4}, 0.0);
      torch::Tensor(l[1]->weight).index_put_({3}, 0.0);
      torch::Tensor(l[2]->weight).index_put_({0}, 0.0);  // a dead OUTPUT row is never deleted
    }
    masks.update_from_nonzero();
    auto opt = torch::optim::Adam(net->parameters(), torch::optim::AdamOptions(1e-3));
    auto x = torch::randn({32, 4});
    auto loss = net->forward(x).pow(2).sum();
    opt.zero_grad();
    loss.backward();
    opt.step();
    masks.apply();
    torch::Tensor before;
    {
      torch::NoGradGuard g;
      before = net->forward(x);
    }
    auto rep = delete_neurons(*net, masks, &opt);
    EXPECT_EQ(rep.deleted, 3) << act;
    EXPECT_EQ(rep.widths, (std::vector<int64_t>{4, 4, 4, 2})) << act;
    torch::NoGradGuard g;
    EXPECT_TRUE(torch::allclose(net->forward(x), before, 1e-5, 1e-6)) << act;
    for (auto& e : masks.entries()) EXPECT_EQ(e.mask.sizes(), e.param.sizes()) << e.name;
    // The optimizer keeps working on the shrunk tensors.
    torch::AutoGradMode on(true);
    auto loss2 = net->forward(x).pow(2).sum();
    opt.zero_grad();
    loss2.backward();
    EXPECT_NO_THROW(opt.step());
  }
}

TEST(NeuronDeletion, AnEmptiedLayerKeepsOneNeuron) {
  auto net = std::make_shared<MLP>(std::vector<int64_t>{2, 3, 1}, std::vector<std::string>{"tanh"});
  Masks masks(*net);
  {
    torch::NoGradGuard g;
    net->linears()[0]->weight.zero_();
  }
  masks.update_from_nonzero();
  auto x = torch::randn({8, 2});
  auto before = net->forward(x).detach();
  auto rep = delete_neurons(*net, masks, nullptr);
  EXPECT_EQ(rep.widths, (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(rep.notes.size(), 1u);
  EXPECT_TRUE(torch::allclose(net->forward(x).detach(), before, 1e-5, 1e-6));
}
