// The golden integer executor. Sums are exact (double GEMM when provably exact, else int64 under -fwrapv)
// and wrapped to the accumulator width once per output, which equals the hardware's per-step wrap-around.
#include "sim/exec/golden.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "sim/exec/im2col.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/exec/noise.hpp"
#include "sim/exec/vector_kernels.hpp"
#include "sim/util/parallel_for.hpp"

namespace deepchip::sim {

// Where a layer's accumulators draw their noise (sim/exec/noise.hpp); none: exact.
struct NoiseDraw {
  const LayerNoise* levels = nullptr;
  uint64_t seed = 0, stream = 0, layer_index = 0;
};

namespace {

// The GEMM weights of one group, as doubles (exact: the weights are int32).
struct GroupWeights {
  RowMatrix<double> w;
  double max_abs = 0;
};

// Columns [n0, n0 + count) of one group's GEMM weight matrix W[k][n] (gemm_weights' layout), as doubles.
GroupWeights group_weight_columns(const QuantLayer& q, const Layer& l, int group, int64_t n0, int64_t count) {
  const GemmShape g = gemm_shape(l);
  GroupWeights w;
  w.w.resize(g.k, count);
  for (int64_t n = 0; n < count; ++n) {
    const int32_t* column = q.weights.data() + (group * g.n + n0 + n) * g.k;  // [out_channel][k]
    for (int64_t k = 0; k < g.k; ++k) w.w(k, n) = column[k];
  }
  w.max_abs = w.w.size() ? w.w.cwiseAbs().maxCoeff() : 0.0;
  return w;
}

GroupWeights group_weights(const QuantLayer& q, const Layer& l, int group) {
  return group_weight_columns(q, l, group, 0, gemm_shape(l).n);
}

// Output columns per weight chunk when a runner does not keep the weights (a single pass): the double copy
// of a layer's weights is then at most K x 256 (alexnet's fc6 whole would be 302 MB).
constexpr int64_t kChunkColumns = 256;

// Rows of the im2col matrix per task when a layer's GEMM is split over threads.
constexpr int64_t kRowBlock = 256;

// One group's exact sums x*w (see exact_int_gemm in kernels.hpp; the weights as doubles: `kept`, or made
// chunk by chunk from the layer's integer weights), handed to store(element, channel, sum). The rows go in
// blocks over `threads` threads: every sum is exact, so the blocks' order and number change no bit.
template <typename Store>
void gemm_group(const IntTensor& input, const Layer& l, const QuantLayer& q, int group,
                const GroupWeights* kept, int threads, Store&& store) {
  const GemmShape g = gemm_shape(l);
  const RowMatrix<int32_t> x = im2col(input, l, group);
  const double max_abs_x = x.size() ? static_cast<double>(x.cwiseAbs().maxCoeff()) : 0.0;
  const int64_t step = kept ? g.n : kChunkColumns;
  for (int64_t n0 = 0; n0 < g.n; n0 += step) {
    GroupWeights chunk;
    if (!kept) chunk = group_weight_columns(q, l, group, n0, std::min(step, g.n - n0));
    const GroupWeights& w = kept ? *kept : chunk;
    const bool exact_double = double_gemm_is_exact(g.k, max_abs_x, w.max_abs);
    RowMatrix<int64_t> w_int;
    if (!exact_double) w_int = w.w.cast<int64_t>();
    parallel_for((g.m + kRowBlock - 1) / kRowBlock, threads, [&](int64_t block) {
      const int64_t m0 = block * kRowBlock, rows = std::min(kRowBlock, g.m - m0);
      const RowMatrix<int64_t> y =
          exact_double ? RowMatrix<int64_t>((x.middleRows(m0, rows).cast<double>() * w.w).cast<int64_t>())
                       : RowMatrix<int64_t>(x.middleRows(m0, rows).cast<int64_t>() * w_int);
      for (int64_t m = 0; m < rows; ++m)
        for (int64_t n = 0; n < y.cols(); ++n) {
          const int ch = static_cast<int>(group * g.n + n0 + n);
          store((m0 + m) * l.out_channels + ch, ch, y(m, n));
        }
    });
  }
}

// Bias, wrap to the accumulator width and requantization of every output (finish_output); with noise, the
// accumulators (sum plus bias) of the whole layer are perturbed first, in element order (sim/exec/noise.hpp).
void golden_gemm_layer(const IntTensor& input, const Layer& l, const QuantLayer& q, int acc_bits,
                       const std::vector<GroupWeights>* weights, const NoiseDraw& noise, int threads,
                       IntTensor& out) {
  if (!noise.levels) {
    for (int grp = 0; grp < l.groups; ++grp)
      gemm_group(input, l, q, grp, weights ? &(*weights)[static_cast<size_t>(grp)] : nullptr, threads,
                 [&](int64_t element, int ch, int64_t sum) {
                   out.data[static_cast<size_t>(element)] = finish_output(sum, ch, q, acc_bits);
                 });
    return;
  }
  std::vector<int64_t> acc(out.data.size());
  for (int grp = 0; grp < l.groups; ++grp)
    gemm_group(input, l, q, grp, weights ? &(*weights)[static_cast<size_t>(grp)] : nullptr, threads,
               [&](int64_t element, int ch, int64_t sum) {
                 acc[static_cast<size_t>(element)] = sum + q.bias[static_cast<size_t>(ch)];
               });
  std::vector<double> range(static_cast<size_t>(l.out_channels));
  for (int ch = 0; ch < l.out_channels; ++ch) range[static_cast<size_t>(ch)] = accumulator_range(q, ch);
  perturb_accumulators(acc, range, *noise.levels, noise.seed, noise.stream, noise.layer_index);
  for (size_t i = 0; i < acc.size(); ++i) {
    const size_t ch = i % static_cast<size_t>(l.out_channels);
    out.data[i] = clamp_to(apply_requant(wrap_to_bits(acc[i], acc_bits), q.requant[ch]), q.out);
  }
}

// Per batch: A's rows times the second operand, exact, then finish_output per element.
IntTensor golden_matmul(const IntTensor& a, const IntTensor& b, const Layer& l, const QuantLayer& q,
                        int acc_bits) {
  IntTensor out(l.out_shape);
  const GemmShape g = gemm_shape(l);
  GemmScratch scratch;
  RowMatrix<int64_t> y;
  for (int batch = 0; batch < l.groups; ++batch) {
    exact_int_gemm(im2col(a, l, batch), matmul_operand(b, l, batch), y, scratch);
    for (int64_t m = 0; m < g.m; ++m)
      for (int64_t n = 0; n < g.n; ++n)
        out.data[static_cast<size_t>(gemm_output_index(l, g, batch, m, n))] =
            finish_output(y(m, n), static_cast<int>(n), q, acc_bits);
  }
  return out;
}

}  // namespace

struct GoldenRunner::Weights {
  std::map<std::string, std::vector<GroupWeights>> by_layer;  // per group
  std::map<std::string, uint64_t> layer_index;                // position in the network (noise key)
};

GoldenRunner::GoldenRunner(const QuantModel& model, int accumulator_bits, const NoiseModel* noise,
                           WeightKeeping keeping, int threads)
    : model_(model), accumulator_bits_(accumulator_bits), noise_(noise), threads_(threads) {
  auto w = std::make_unique<Weights>();
  for (size_t i = 0; i < model.net.layers.size(); ++i) {
    const Layer& l = model.net.layers[i];
    w->layer_index[l.name] = i;
    if (l.is_gemm() && keeping == WeightKeeping::kKept && !w->by_layer.count(l.params()))
      for (int grp = 0; grp < l.groups; ++grp)
        w->by_layer[l.params()].push_back(group_weights(model.layers.at(l.params()), l, grp));
  }
  weights_ = std::move(w);
}

GoldenRunner::~GoldenRunner() = default;

IntTensor golden_gemm_layer(const IntTensor& input, const Layer& l, const QuantLayer& q, int acc_bits) {
  std::vector<GroupWeights> weights;
  for (int grp = 0; grp < l.groups; ++grp) weights.push_back(group_weights(q, l, grp));
  IntTensor out(l.out_shape);
  golden_gemm_layer(input, l, q, acc_bits, &weights, NoiseDraw{}, 1, out);
  return out;
}

std::map<std::string, IntTensor> run_golden(const QuantModel& model, int acc_bits) {
  return run_golden(model, acc_bits, model.inputs);
}

std::map<std::string, IntTensor> run_golden(const QuantModel& model, int acc_bits,
                                            const std::map<std::string, IntTensor>& inputs) {
  return GoldenRunner(model, acc_bits, nullptr, WeightKeeping::kChunked).run(inputs);  // one pass
}

IntTensor GoldenRunner::run_layer(const Layer& l, const std::map<std::string, IntTensor>& tensors,
                                  uint64_t noise_stream) const {
  const QuantLayer& q = model_.layers.at(l.params());
  if (l.kind == LayerKind::kMatMul)
    return golden_matmul(tensors.at(l.inputs[0]), tensors.at(l.inputs[1]), l, q, accumulator_bits_);
  if (!l.is_gemm()) return run_vector_layer(l, q, tensors);
  IntTensor out(l.out_shape);
  const auto kept = weights_->by_layer.find(l.params());
  golden_gemm_layer(tensors.at(l.inputs[0]), l, q, accumulator_bits_,
                    kept == weights_->by_layer.end() ? nullptr : &kept->second, noise_draw(l, noise_stream),
                    threads_, out);
  return out;
}

std::map<std::string, IntTensor> GoldenRunner::run(const std::map<std::string, IntTensor>& inputs,
                                                   uint64_t noise_stream) const {
  std::map<std::string, IntTensor> t = inputs;
  for (const auto& l : model_.net.layers) t[l.name] = run_layer(l, t, noise_stream);
  return t;
}

NoiseDraw GoldenRunner::noise_draw(const Layer& l, uint64_t stream) const {
  const LayerNoise* levels = noise_ ? noise_->find(l.name) : nullptr;
  if (!levels) return {};
  return {levels, noise_->seed, stream, weights_->layer_index.at(l.name)};
}

int64_t worst_case_accumulator(const QuantModel& model, const Layer& l) {
  // Exact extremes over all inputs in range: unsigned inputs in [0, qmax] reach qmax * (sum of positive
  // weights) and qmax * (sum of negative weights); signed inputs reach +-qmax * (sum of |w|).
  const TensorQuant& in = model.tensor_quant.at(l.inputs[0]);
  const QuantLayer& q = model.layers.at(l.params());
  const int64_t k = gemm_shape(l).k;
  if (l.kind == LayerKind::kMatMul) {  // any two operands in range: K * max|a| * max|b|
    const TensorQuant& b = model.tensor_quant.at(l.inputs[1]);
    return k * std::max(std::abs(in.qmin), in.qmax) * std::max(std::abs(b.qmin), b.qmax);
  }
  int64_t worst = 0;
  for (int ch = 0; ch < l.out_channels; ++ch) {
    int64_t pos = 0, neg = 0;
    const int32_t* w = q.weights.data() + ch * k;
    for (int64_t i = 0; i < k; ++i) {  // branch-free: vectorises
      pos += std::max<int64_t>(w[i], 0);
      neg += std::min<int64_t>(w[i], 0);
    }
    const int64_t b = q.bias[static_cast<size_t>(ch)];
    const int64_t hi = in.is_signed ? in.qmax * (pos - neg) + b : in.qmax * pos + b;
    const int64_t lo = in.is_signed ? -in.qmax * (pos - neg) + b : in.qmax * neg + b;
    worst = std::max({worst, std::abs(hi), std::abs(lo)});
    // A bias that quantization saturated at the int32 limit is already wrong: it needs more than 32 bits.
    if (std::abs(b) >= kSaturatedBias) worst = std::max(worst, int64_t{1} << 31);
  }
  return worst;
}

std::string accumulator_problem(const Layer& l, int64_t worst, int accumulator_bits) {
  const int64_t limit = accumulator_bits >= 64 ? INT64_MAX : (int64_t{1} << (accumulator_bits - 1)) - 1;
  if (worst <= limit) return "";
  return "accumulator too narrow for layer " + l.name + ": worst case |sum| " + std::to_string(worst) +
         " needs more than " + std::to_string(accumulator_bits) + " bits";
}

std::map<std::string, int64_t> worst_case_accumulators(const QuantModel& model) {
  std::map<std::string, int64_t> worst;
  std::map<std::string, int64_t> by_params;  // a conv/fc layer's worst case is its weights' (decoding's steps
  for (const Layer& l : model.net.layers) {  // share them); a matmul's depends on its K
    if (!l.on_array()) continue;
    if (l.kind == LayerKind::kMatMul) {
      worst[l.name] = worst_case_accumulator(model, l);
      continue;
    }
    const auto it = by_params.find(l.params());
    worst[l.name] =
        it != by_params.end() ? it->second : by_params[l.params()] = worst_case_accumulator(model, l);
  }
  return worst;
}

}  // namespace deepchip::sim
