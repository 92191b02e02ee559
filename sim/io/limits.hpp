// What the parsers accept, in one place (tests/README.md "Input limits"). Every parser checks these before it
// allocates, so a hostile or mistyped input is one clear error instead of exhausted memory.
#pragma once
#include <cstdint>

namespace deepchip::sim {

constexpr int64_t kMaxTopologyBytes = int64_t{16} << 20;   // a SCALE-Sim topology CSV
constexpr int64_t kMaxOnnxBytes = int64_t{512} << 20;      // an ONNX model (protobuf caps messages at 2 GiB)
constexpr int64_t kMaxTensorFileBytes = int64_t{1} << 30;  // an ONNX TensorProto input of `dse infer`
constexpr int64_t kMaxIdxBytes = int64_t{256} << 20;       // an IDX file after gzip decompression
constexpr int kMaxIdxRank = 4;                             // dimensions of an IDX array
constexpr int kMaxLayers = 10000;                          // layers of a network (any format)
constexpr int kMaxNameBytes = 256;                         // a layer or tensor name
constexpr int64_t kMaxTensorElements = int64_t{1} << 28;   // any tensor, and a conv/fc layer's im2col matrix
constexpr int64_t kMaxLayerWeights = int64_t{1} << 28;     // weights of one conv/fc layer
constexpr int64_t kMaxNetworkWeights = int64_t{1} << 28;   // weights of a whole network
constexpr int64_t kMaxInferBatch = 100000;                 // images in one `dse infer` input tensor

}  // namespace deepchip::sim
