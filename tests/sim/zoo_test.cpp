#include <gtest/gtest.h>

#include "sim/io/network_io.hpp"

namespace deepchip::sim {
namespace {

// Published MAC counts (multiply-accumulates, conv + fc).
TEST(Zoo, ResNet18MatchesHeEtAl) {
  // He et al. 2016, Table 1: 1.8e9 "FLOPs" (multiply-adds); layer by layer:
  // conv1 118,013,952 + stage1 4x115,605,504 + 3 x (57,802,752 + 3x115,605,504 + 6,422,528 projection) + fc
  // 512,000.
  const Network n = zoo_network("resnet18");
  EXPECT_EQ(n.total_macs(), 1814073344LL);
  EXPECT_EQ(n.layers.back().out_shape, (Shape{1, 1, 1000}));
}

TEST(Zoo, TransformersMatchTheirTorchExports) {
  // ViT-B/16 at 224: 17.56 G multiply-adds (the ViT paper's 17.6 GFLOPs; the count of dse's import of
  // torchvision's export, equal to PyTorch's forward hooks). Per encoder layer: QKV 197x768x2304, Q.K^T and
  // P.V 2x197^2x768, projection 197x768^2, MLP 2x197x768x3072; patch embedding 196x768x768; head 768x1000.
  EXPECT_EQ(zoo_network("vit_b_16").total_macs(), 17563828224LL);
  // BERT-Base at 128 tokens: 12 x (128x768x2304 + 2x128^2x768 + 128x768^2 + 2x128x768x3072).
  EXPECT_EQ(zoo_network("bert_base").total_macs(), 11173625856LL);
  EXPECT_EQ(zoo_network("bert_tiny").total_macs(), 58720256LL);  // 2 x (128x128x384 + ... ), 128 tokens
  EXPECT_EQ(zoo_network("vit_tiny").total_macs(), 122097024LL);  // tests/zoo/encoders.py vit_tiny's hooks
  const Network bert = zoo_network("bert_base");
  EXPECT_EQ(bert.layers.back().out_shape, (Shape{1, 128, 768}));
  EXPECT_EQ(zoo_network("vit_b_16").layers.back().out_shape, (Shape{1, 1, 1000}));
}

TEST(Zoo, ResNet50MatchesHeEtAl) {
  // He et al. 2016, Table 1: 3.8e9 multiply-adds. conv1 118,013,952; stages (bottlenecks, projections
  // included) 667,942,912 + 950,534,144 + 1,387,266,048 + 732,168,192; fc 2,048,000.
  const Network n = zoo_network("resnet50");
  EXPECT_EQ(n.total_macs(), 3857973248LL);
  int64_t convs = 0;
  for (const auto& l : n.layers) convs += l.kind == LayerKind::kConv;
  EXPECT_EQ(convs, 1 + 16 * 3 + 4);  // 49 convs of the 50 weighted layers + 4 projection shortcuts
  EXPECT_EQ(n.layer("layer4.2.add").out_shape, (Shape{7, 7, 2048}));
  EXPECT_EQ(n.layers.back().out_shape, (Shape{1, 1, 1000}));
}

TEST(Zoo, MobileNetV2MatchesSandlerEtAl) {
  // Sandler et al. 2018, Table 4: 300M multiply-adds, 3.4M parameters (width 1.0, 224x224).
  const Network n = zoo_network("mobilenet_v2");
  EXPECT_EQ(n.total_macs(), 300774272LL);  // 299,494,272 conv + 1,280,000 fc
  int64_t weights = 0, depthwise = 0, adds = 0;
  for (const auto& l : n.layers) {
    if (l.is_gemm()) weights += gemm_shape(l).k * l.out_channels;
    depthwise += l.kind == LayerKind::kConv && l.groups == l.out_channels && l.groups > 1;
    adds += l.kind == LayerKind::kAdd;
  }
  EXPECT_EQ(weights, 3469760);  // conv and fc weights (the paper's 3.4M with biases and batch norms)
  EXPECT_EQ(depthwise, 17);
  EXPECT_EQ(adds, 10);
  EXPECT_EQ(n.layer("conv_last").out_shape, (Shape{7, 7, 1280}));
}

TEST(Zoo, AlexNetMatchesSzeEtAl) {
  // Sze et al., Proc. IEEE 2017, Table: AlexNet 666M conv MACs + 58.6M fc MACs = 724M.
  const Network n = zoo_network("alexnet");
  int64_t conv = 0, fc = 0;
  for (const auto& l : n.layers) (l.kind == LayerKind::kConv ? conv : fc) += layer_macs(l);
  EXPECT_EQ(conv, 665784864LL);
  EXPECT_EQ(fc, 58621952LL);
  EXPECT_EQ(n.layer("conv1").out_shape, (Shape{55, 55, 96}));
}

TEST(Zoo, ResNet44ForCifar10) {
  // 0.66M parameters in He et al. 2016 (Table 6); with the two 1x1 projections: 657,968 weights.
  const Network n = zoo_network("resnet44");
  int64_t weights = 0, convs = 0;
  for (const auto& l : n.layers)
    if (l.is_gemm()) weights += gemm_shape(l).k * l.out_channels, ++convs;
  EXPECT_EQ(weights, 657968);
  EXPECT_EQ(convs, 1 + 42 + 2 + 1);  // 44 weighted layers of the paper + 2 projections
  // conv1 442,368 + 14 x 2,359,296 + 2 x (1,179,648 + 13 x 2,359,296 + 131,072 projection) + fc 640
  EXPECT_EQ(n.total_macs(), 97436288LL);
  EXPECT_EQ(n.layer("stage3.6.add").out_shape, (Shape{8, 8, 64}));
}

TEST(Zoo, LeNet5) {
  // C1 28*28*25*6 + C3 10*10*150*16 + F5 400*120 + F6 120*84 + output 84*10 (full C3 connectivity).
  EXPECT_EQ(zoo_network("lenet5").total_macs(), 117600 + 240000 + 48000 + 10080 + 840);
}

TEST(Zoo, SvhnConvNetFollowsDeepChip) {
  const Network n = zoo_network("svhn_convnet");
  EXPECT_EQ(n.layer("conv1").out_shape, (Shape{36, 36, 48}));
  EXPECT_EQ(n.layer("conv4").out_shape, (Shape{7, 7, 128}));
  EXPECT_EQ(n.layer("conv6").out_shape, (Shape{5, 5, 128}));
  EXPECT_EQ(n.layer("conv7").out_shape, (Shape{1, 1, 512}));
  // 36*36*48*75 + 18*18*64*432 + 18*18*64*576 + 7*7*128*576 + 7*7*128*1152 + 5*5*128*1152 + 512*3200 + 512*10
  EXPECT_EQ(n.total_macs(), 4665600 + 8957952 + 11943936 + 3612672 + 7225344 + 3686400 + 1638400 + 5120);
}

}  // namespace
}  // namespace deepchip::sim
