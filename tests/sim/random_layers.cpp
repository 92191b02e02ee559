#include "random_layers.hpp"

#include <sstream>

namespace deepchip::sim::testing {

std::string LayerCase::describe() const {
  const Layer& l = net.layers[0];
  std::ostringstream os;
  os << to_string(l.kind) << " in=" << l.in_shape.str() << " k=" << l.kernel_h << "x" << l.kernel_w
     << " s=" << l.stride_h << " pad=" << l.pad_top << " groups=" << l.groups << " out=" << l.out_shape.str()
     << " wbits=" << model.config.weight_bits << " abits=" << model.config.activation_bits;
  return os.str();
}

LayerCase random_layer_case(CaseKind kind, int wb, int ab, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Layer l;
  l.name = "layer";
  l.kind = LayerKind::kConv;
  Shape in{pick(3, 12), pick(3, 12), pick(1, 20)};
  switch (kind) {
    case CaseKind::kRandomConv:
      l.kernel_h = pick(1, 3), l.kernel_w = pick(1, 3);
      l.pad_top = l.pad_bottom = pick(0, 1);
      l.pad_left = l.pad_right = pick(0, 1);
      l.out_channels = pick(1, 40);
      break;
    case CaseKind::kPointwise:
      l.out_channels = pick(1, 40);
      break;
    case CaseKind::kDepthwise:
      l.kernel_h = l.kernel_w = 3;
      l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = 1;
      l.groups = in.channels;
      l.out_channels = in.channels * pick(1, 2);
      break;
    case CaseKind::kStride2:
      l.kernel_h = l.kernel_w = 3;
      l.stride_h = l.stride_w = 2;
      l.pad_top = l.pad_left = 1;
      l.out_channels = pick(1, 40);
      break;
    case CaseKind::kDilated:
      in = Shape{pick(6, 12), pick(6, 12), pick(1, 8)};
      l.kernel_h = l.kernel_w = 3;
      l.dilation_h = pick(1, 2), l.dilation_w = 2;
      l.pad_top = l.pad_bottom = l.pad_left = l.pad_right = pick(0, 2);
      l.out_channels = pick(1, 20);
      break;
    case CaseKind::kFullyConnected:
      l.kind = LayerKind::kFullyConnected;
      in = Shape{pick(1, 3), pick(1, 3), pick(1, 30)};
      l.out_channels = pick(1, 50);
      break;
  }
  LayerCase c;
  c.net.name = "random";
  c.net.inputs.push_back({"input", in});
  l.inputs = {"input"};
  c.net.layers.push_back(l);
  c.net.finalize("random");
  const Layer& fl = c.net.layers[0];

  QuantModel& q = c.model;
  q.net = c.net;
  q.config.weight_bits = wb;
  q.config.activation_bits = ab;
  const TensorQuant in_q = make_tensor_quant(ab, false, 1.0);
  q.tensor_quant["input"] = in_q;
  IntTensor x(in);
  for (auto& v : x.data) v = pick(0, in_q.qmax);
  q.inputs["input"] = x;
  QuantLayer ql;
  const int wmax = (1 << (wb - 1)) - 1;
  ql.weights.resize(static_cast<size_t>(gemm_shape(fl).k * fl.out_channels));
  for (auto& w : ql.weights) w = pick(-wmax, wmax);
  for (int ch = 0; ch < fl.out_channels; ++ch) {
    ql.bias.push_back(pick(-1000, 1000));
    ql.requant.push_back(make_requant(std::uniform_real_distribution<double>(1e-6, 1e-2)(rng)));
  }
  ql.out = make_tensor_quant(ab, false, 1.0);
  q.layers["layer"] = ql;
  q.tensor_quant["layer"] = ql.out;
  return c;
}

}  // namespace deepchip::sim::testing
