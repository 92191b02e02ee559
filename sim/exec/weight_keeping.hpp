// How an executor keeps the GEMM weight matrices of a model (sim/exec/float_executor.hpp, golden.hpp).
#pragma once

namespace deepchip::sim {

// Models prepared for running on many inputs (accuracy evaluation): the GEMM weight matrix of every conv/fc
// layer and group is built once instead of per run. run() is const and may be called from several threads.
// The model must outlive the runner. run_float and run_golden above are these runners used once.
// kKept: every GEMM layer's weights as doubles, made once (for many inputs: accuracy, the ARM cores);
// kChunked: made per layer while it runs (the golden executor: in chunks of output columns) (one pass: no
// second copy of the model's weights, the memory of a large import).
enum class WeightKeeping { kKept, kChunked };

}  // namespace deepchip::sim
