// Tensors of one image. Layout: HWC (channel fastest), batch size 1.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace deepchip::sim {

struct Shape {
  int height = 1;
  int width = 1;
  int channels = 1;
  // Saturates at INT64_MAX, so that a limit check on a hostile shape cannot overflow.
  int64_t elements() const {
    const __int128 e = static_cast<__int128>(height) * width * channels;
    return e > INT64_MAX ? INT64_MAX : static_cast<int64_t>(e);
  }
  bool operator==(const Shape& o) const {
    return height == o.height && width == o.width && channels == o.channels;
  }
  std::string str() const {
    return std::to_string(height) + "x" + std::to_string(width) + "x" + std::to_string(channels);
  }
};

template <typename T>
struct Tensor {
  Shape shape;
  std::vector<T> data;

  Tensor() = default;
  explicit Tensor(Shape s, T fill = T{}) : shape(s), data(static_cast<size_t>(s.elements()), fill) {}
  int64_t index(int y, int x, int c) const { return (int64_t{y} * shape.width + x) * shape.channels + c; }
  T& at(int y, int x, int c) { return data[static_cast<size_t>(index(y, x, c))]; }
  const T& at(int y, int x, int c) const { return data[static_cast<size_t>(index(y, x, c))]; }
};

using IntTensor = Tensor<int32_t>;
using FloatTensor = Tensor<float>;

}  // namespace deepchip::sim
