// The systolic array interface. One layer's folds are played as one run; the array asks the controller
// (ArrayDataPort) when data is ready and tells it when buffers can be reused. Implementations, all driven
// by the shared sequencer (sequencer.hpp) so that they agree on cycles: `cycle` (cycle.cpp, every PE
// register every clock), `tile` (tile.cpp, one GEMM per fold), `timing` (timing.cpp, no data) and `rtl`
// (hw/cosim, the Verilated SystemVerilog). registry.cpp maps the config's array_impl to them.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "sim/cost/observers.hpp"
#include "sim/exec/kernels.hpp"
#include "sim/map/hardware.hpp"
#include "sim/map/mapper.hpp"

namespace deepchip::models {

// The controller's side of the array/buffer handshake. Ready cycles are kNever until the DMA transfer
// that brings the data has been issued. The array runs ahead of SystemC time (TLM-2.0 temporal decoupling,
// one wait per layer): it passes its local cycle `now` to every call, and after each step at `now` lets
// the memory side act at that cycle (issue_transfers), as a DMA process woken by a freed slot would in
// the next delta cycle. Transfers are issued with `now` as their annotated time.
// By dataflow (models/README.md "Dataflows"), the stationary operand is ws the fold's weights, is its input
// block, os nothing (ready at once); the streamed data of a chunk is ws its input vectors, is the fold's
// weights, os both.
class ArrayDataPort {
 public:
  virtual ~ArrayDataPort() = default;
  virtual int64_t stationary_ready_cycle(size_t fold) const = 0;
  virtual int64_t stream_ready_cycle(size_t fold, size_t chunk) const = 0;
  // Issues every transfer the free buffer slots allow at cycle `now`; true if any ready cycle became known.
  virtual bool issue_transfers(int64_t now) = 0;
  // How many cycles the array may run ahead of SystemC time before it waits (tlm_quantumkeeper's quantum):
  // 0 keeps it in step at every action, as other initiators on the same memory need; kNever when nothing
  // else can reach the memory during the run, so that one wait at the end is exact.
  virtual int64_t quantum_cycles() const = 0;
  virtual void stationary_loaded(size_t fold, int64_t now) = 0;  // the stationary operand sits in the PEs
  virtual void chunk_consumed(size_t fold, size_t chunk, int64_t now) = 0;  // its streamed data is used
  virtual void fold_done(size_t fold, int64_t now) = 0;  // every output of the fold has left the array
};

// A fold's block of the output stage's accumulators (row stride `stride`), from its first output. The array
// adds each raw sum of the fold into it, as the accumulator's read-modify-write does. The sums are exact
// int64 (the output stage wraps them to the accumulator width at the end), so when in the fold an array adds
// does not change the result: `cycle` and `rtl` add each vector as it leaves the array, `tile` the whole fold
// when it starts streaming.
struct FoldSums {
  int64_t* data = nullptr;
  int64_t stride = 0;
  void add(int64_t m, int64_t c, int64_t raw) const { data[m * stride + c] += raw; }
  explicit operator bool() const { return data != nullptr; }
};

// Functional data of one fold: views into the layer's im2col matrix and weight matrix (null for `timing`,
// which computes nothing).
struct FoldWork {
  const sim::RowMatrix<int32_t>* inputs = nullptr;   // M x K of the group
  const sim::RowMatrix<int32_t>* weights = nullptr;  // K x N of the group
  sim::Dataflow dataflow = sim::Dataflow::kWs;
  // The fold's ranges of the GEMM (sim::Fold): out[m0, m0 + m) x [n0, n0 + nt) += in[., k0 + kt) w[.]
  int64_t k0 = 0, kt = 0, n0 = 0, nt = 0, m0 = 0, m = 0;
  int64_t vectors = 0;  // streamed: ws m input vectors, is nt filters, os kt steps
  // The fold's chunks (its sim::Fold's, not owned: no allocation per fold), m0 ascending from 0; chunk j
  // streams vectors [chunk_start(j), chunk_start(j + 1) or vectors).
  const sim::Chunk* chunks = nullptr;
  size_t chunk_count = 0;
  int64_t chunk_start(size_t j) const { return chunks[j].m0; }
  // Ternary/binary layers: PEs add +x, -x or nothing into two partial sums (weights +1 / -1), and the output
  // stage forms pos_scale * sum(+) - neg_scale * sum(-). The weight matrix holds the effective integer
  // weights (+pos_scale, 0, -neg_scale).
  bool multiplier_free = false;
  int32_t pos_scale = 1, neg_scale = 1;
  // Optional (co-simulation): the cycle at which each output vector is complete at the array's output,
  // i.e. its last column (C - 1) leaves the de-skew; sized and written by the cycle and rtl arrays.
  std::vector<int64_t>* emerged = nullptr;
  FoldSums out;  // where the fold's raw sums are added
};

// Input vectors [m0, m0 + count) of a fold entering the rows, one per cycle from start_cycle.
struct InjectionSpan {
  size_t fold = 0;
  int64_t m0 = 0, count = 0, start_cycle = 0;
};

struct ArrayRunStats {
  int64_t start_cycle = 0;
  int64_t end_cycle = 0;  // exclusive: the cycle after the last MAC
  std::vector<int64_t> fold_done_cycle;
  std::vector<int64_t> load_start_cycle;    // when each fold's weight load began
  std::vector<int64_t> bank_free_cycle;     // when its stationary registers became free to load
  std::vector<int64_t> stream_start_cycle;  // s_f
  std::vector<int64_t> stream_free_cycle;   // when its stream could have started but for its data
  std::vector<InjectionSpan> injections;    // only when a timeline is recorded (observers.timeline)
};

class ArrayIf {
 public:
  virtual ~ArrayIf() = default;
  // Plays the folds in order from the current SystemC time; returns (SystemC thread context) once the
  // last output has left the array, SystemC time then being that cycle.
  virtual ArrayRunStats run(const std::vector<FoldWork>& folds, ArrayDataPort& port) = 0;
};

// `observers`: the cycle and rtl arrays write the waveforms; every array records injections for a timeline.
std::unique_ptr<ArrayIf> make_array(const sim::HardwareConfig& hw, const sim::Observers& observers = {});

// Implementations outside models/ (the Verilated RTL in hw/) register here. `problem` returns "" when the
// implementation can run the hardware config, else why not (a point then is ok=false with that reason).
using ArrayFactory = std::unique_ptr<ArrayIf> (*)(const sim::HardwareConfig&, const sim::Observers&);
using ArrayProblem = std::string (*)(const sim::HardwareConfig&);
bool register_array_impl(sim::ArrayImpl impl, ArrayFactory make, ArrayProblem problem);
std::string array_impl_problem(const sim::HardwareConfig& hw);

}  // namespace deepchip::models
