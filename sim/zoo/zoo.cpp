// The built-in zoo. Layer shapes follow the papers; MAC counts are checked against published figures in
// tests/sim/zoo_test.cpp.
#include "sim/zoo/zoo.hpp"

#include <algorithm>

#include "sim/io/errors.hpp"
#include "sim/zoo/zoo_transformers.hpp"

namespace deepchip::sim {

namespace {

class Builder {
 public:
  Builder(std::string name, Shape input) {
    net_.name = std::move(name);
    net_.inputs.push_back({"input", input});
    last_ = "input";
  }
  // Conv with symmetric padding `pad`; returns the layer name.
  std::string conv(const std::string& name, int filters, int kernel, int stride, int pad, bool relu,
                   int groups = 1, std::string from = "") {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kConv;
    l.out_channels = filters;
    l.kernel_h = l.kernel_w = kernel;
    l.stride_h = l.stride_w = stride;
    l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = pad;
    l.groups = groups;
    l.relu = relu;
    return add_layer(l, from);
  }
  std::string pool(const std::string& name, LayerKind kind, int kernel, int stride, int pad = 0) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.kernel_h = l.kernel_w = kernel;
    l.stride_h = l.stride_w = stride;
    l.pad_top = l.pad_left = l.pad_bottom = l.pad_right = pad;
    return add_layer(l, "");
  }
  std::string fc(const std::string& name, int units, bool relu) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kFullyConnected;
    l.out_channels = units;
    l.relu = relu;
    return add_layer(l, "");
  }
  std::string add(const std::string& name, const std::string& a, const std::string& b, bool relu) {
    Layer l;
    l.name = name;
    l.kind = LayerKind::kAdd;
    l.inputs = {a, b};
    l.relu = relu;
    net_.layers.push_back(l);
    last_ = name;
    return name;
  }
  const std::string& last() const { return last_; }
  Network done() {
    net_.finalize("zoo:" + net_.name);
    return net_;
  }

 private:
  std::string add_layer(Layer l, const std::string& from) {
    l.inputs = {from.empty() ? last_ : from};
    net_.layers.push_back(l);
    last_ = l.name;
    return l.name;
  }
  Network net_;
  std::string last_;
};

// LeCun et al. 1998, with full C3 connectivity and max pooling (the common modern form).
Network lenet5() {
  Builder b("lenet5", Shape{32, 32, 1});
  b.conv("conv1", 6, 5, 1, 0, true);
  b.pool("pool1", LayerKind::kMaxPool, 2, 2);
  b.conv("conv2", 16, 5, 1, 0, true);
  b.pool("pool2", LayerKind::kMaxPool, 2, 2);
  b.fc("fc1", 120, true);
  b.fc("fc2", 84, true);
  b.fc("fc3", 10, false);
  return b.done();
}

// DeepChip (ECML-PKDD 2018) SVHN ConvNet, 40x40x3 input; "valid" convs have no padding, the others keep size.
Network svhn_convnet() {
  Builder b("svhn_convnet", Shape{40, 40, 3});
  b.conv("conv1", 48, 5, 1, 0, true);
  b.pool("pool1", LayerKind::kMaxPool, 2, 2);
  b.conv("conv2", 64, 3, 1, 1, true);
  b.conv("conv3", 64, 3, 1, 1, true);
  b.pool("pool2", LayerKind::kMaxPool, 2, 2);
  b.conv("conv4", 128, 3, 1, 0, true);
  b.conv("conv5", 128, 3, 1, 1, true);
  b.conv("conv6", 128, 3, 1, 0, true);
  b.conv("conv7", 512, 5, 1, 0, true);
  b.fc("fc", 10, false);
  return b.done();
}

// The four stages of an ImageNet ResNet (He et al. 2016) after its stem: blocks[s] residual blocks of width
// 64, 128, 256, 512, the first block of every stage but the first with stride 2. `main_path(prefix, width,
// stride, x)` builds a block's main path from x and returns its output, `expansion` x width channels; the
// shortcut is a 1x1 projection where the stride or the width changes, else the identity.
template <typename MainPath>
std::string resnet_stages(Builder& b, std::string x, const int (&blocks)[4], int expansion,
                          MainPath&& main_path) {
  const int widths[4] = {64, 128, 256, 512};
  int in_width = 64;
  for (int stage = 0; stage < 4; ++stage) {
    for (int block = 0; block < blocks[stage]; ++block) {
      const std::string p = "layer" + std::to_string(stage + 1) + "." + std::to_string(block) + ".";
      const int stride = (stage > 0 && block == 0) ? 2 : 1;
      const int out = expansion * widths[stage];
      const std::string main = main_path(p, widths[stage], stride, x);
      std::string shortcut = x;
      if (stride != 1 || in_width != out) shortcut = b.conv(p + "downsample", out, 1, stride, 0, false, 1, x);
      x = b.add(p + "add", main, shortcut, true);
      in_width = out;
    }
  }
  return x;
}

// ResNet-18: basic blocks (two 3x3 convs), 1x1 stride-2 projection shortcuts.
Network resnet18() {
  Builder b("resnet18", Shape{224, 224, 3});
  b.conv("conv1", 64, 7, 2, 3, true);
  const std::string x = b.pool("pool1", LayerKind::kMaxPool, 3, 2, 1);
  resnet_stages(b, x, {2, 2, 2, 2}, 1, [&](const std::string& p, int w, int stride, const std::string& in) {
    b.conv(p + "conv1", w, 3, stride, 1, true, 1, in);
    return b.conv(p + "conv2", w, 3, 1, 1, false);
  });
  b.pool("avgpool", LayerKind::kAvgPool, 7, 7);
  b.fc("fc", 1000, false);
  return b.done();
}

// ResNet-50: bottleneck blocks (1x1, 3x3, 1x1 with 4x expansion), 3, 4, 6, 3 blocks, the stride-2 of a
// stage on its first 1x1 and on the projection shortcut (the paper's form, Table 1: 3.8e9 multiply-adds;
// torchvision's "v1.5" moves it to the 3x3, 4.1e9).
Network resnet50() {
  Builder b("resnet50", Shape{224, 224, 3});
  b.conv("conv1", 64, 7, 2, 3, true);
  const std::string x = b.pool("pool1", LayerKind::kMaxPool, 3, 2, 1);
  resnet_stages(b, x, {3, 4, 6, 3}, 4, [&](const std::string& p, int w, int stride, const std::string& in) {
    b.conv(p + "conv1", w, 1, stride, 0, true, 1, in);
    b.conv(p + "conv2", w, 3, 1, 1, true);
    return b.conv(p + "conv3", 4 * w, 1, 1, 0, false);
  });
  b.pool("avgpool", LayerKind::kAvgPool, 7, 7);
  b.fc("fc", 1000, false);
  return b.done();
}

// Sandler et al. 2018, MobileNetV2 (width 1.0, 224x224x3), Table 2: inverted residual bottlenecks (1x1
// expansion by t, 3x3 depthwise with the block's stride, linear 1x1 projection; a residual add when the
// stride is 1 and the widths agree), then a 1x1 conv to 1280, average pooling and a 1000-way classifier.
// ReLU6 is a ReLU here: the 8-bit activation quantizer clips each tensor to its calibrated range anyway.
Network mobilenet_v2() {
  Builder b("mobilenet_v2", Shape{224, 224, 3});
  std::string x = b.conv("conv1", 32, 3, 2, 1, true);
  struct Stage {
    int t, c, n, s;
  };
  const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                          {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int in_width = 32, index = 0;
  for (const Stage& st : stages) {
    for (int i = 0; i < st.n; ++i, ++index) {
      const std::string p = "block" + std::to_string(index) + ".";
      const int stride = i == 0 ? st.s : 1;
      const int hidden = in_width * st.t;
      std::string y = x;
      if (st.t != 1) y = b.conv(p + "expand", hidden, 1, 1, 0, true, 1, x);
      b.conv(p + "depthwise", hidden, 3, stride, 1, true, hidden, y);
      const std::string projected = b.conv(p + "project", st.c, 1, 1, 0, false);
      x = (stride == 1 && in_width == st.c) ? b.add(p + "add", projected, x, false) : projected;
      in_width = st.c;
    }
  }
  b.conv("conv_last", 1280, 1, 1, 0, true, 1, x);
  b.pool("avgpool", LayerKind::kAvgPool, 7, 7);
  b.fc("fc", 1000, false);
  return b.done();
}

// He et al. 2016, Sec. 4.2: ResNet-44 for CIFAR-10 (32x32x3): a 3x3 conv of 16, then 3 stages of 7 basic
// blocks with 16, 32, 64 channels on 32x32, 16x16, 8x8 maps, global average pooling, FC 10. The paper's
// CIFAR shortcuts are identity with zero padding (option A); the IR has no channel padding, so the two
// stage-changing shortcuts are 1x1 stride-2 projections (option B), which adds 2 x 131,072 MACs.
Network resnet44() {
  Builder b("resnet44", Shape{32, 32, 3});
  std::string x = b.conv("conv1", 16, 3, 1, 1, true);
  const int widths[3] = {16, 32, 64};
  int in_width = 16;
  for (int stage = 0; stage < 3; ++stage) {
    for (int block = 0; block < 7; ++block) {
      const std::string p = "stage" + std::to_string(stage + 1) + "." + std::to_string(block) + ".";
      const int stride = (stage > 0 && block == 0) ? 2 : 1;
      const int w = widths[stage];
      b.conv(p + "conv1", w, 3, stride, 1, true, 1, x);
      const std::string main = b.conv(p + "conv2", w, 3, 1, 1, false);
      std::string shortcut = x;
      if (stride != 1 || in_width != w) shortcut = b.conv(p + "projection", w, 1, stride, 0, false, 1, x);
      x = b.add(p + "add", main, shortcut, true);
      in_width = w;
    }
  }
  b.pool("avgpool", LayerKind::kAvgPool, 8, 8);
  b.fc("fc", 10, false);
  return b.done();
}

// Krizhevsky et al. 2012, 227x227x3 input, grouped conv2/4/5 (the two-GPU split), 724M MACs.
Network alexnet() {
  Builder b("alexnet", Shape{227, 227, 3});
  b.conv("conv1", 96, 11, 4, 0, true);
  b.pool("pool1", LayerKind::kMaxPool, 3, 2);
  b.conv("conv2", 256, 5, 1, 2, true, 2);
  b.pool("pool2", LayerKind::kMaxPool, 3, 2);
  b.conv("conv3", 384, 3, 1, 1, true);
  b.conv("conv4", 384, 3, 1, 1, true, 2);
  b.conv("conv5", 256, 3, 1, 1, true, 2);
  b.pool("pool5", LayerKind::kMaxPool, 3, 2);
  b.fc("fc6", 4096, true);
  b.fc("fc7", 4096, true);
  b.fc("fc8", 1000, false);
  return b.done();
}

}  // namespace

std::vector<std::string> zoo_names() {
  std::vector<std::string> names = {"lenet5",       "svhn_convnet", "resnet18", "resnet50",
                                    "mobilenet_v2", "resnet44",     "alexnet"};
  for (const auto& n : transformer_zoo_names()) names.push_back(n);
  return names;
}

bool is_zoo_name(const std::string& name) {
  const auto names = zoo_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

Network zoo_network(const std::string& name) {
  if (name == "lenet5") return lenet5();
  if (name == "svhn_convnet") return svhn_convnet();
  if (name == "resnet18") return resnet18();
  if (name == "resnet50") return resnet50();
  if (name == "mobilenet_v2") return mobilenet_v2();
  if (name == "resnet44") return resnet44();
  if (name == "alexnet") return alexnet();
  return transformer_zoo_network(name);
}

}  // namespace deepchip::sim
