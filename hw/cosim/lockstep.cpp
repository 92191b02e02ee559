#include "hw/cosim/lockstep.hpp"

#include <sstream>

#include "models/clock.hpp"
#include "sim/exec/kernels.hpp"

namespace deepchip::hw {

std::string Tile::describe() const {
  std::ostringstream os;
  os << "m=" << inputs.rows() << " kt=" << inputs.cols() << " nt=" << weights.cols()
     << " chunks=" << chunks.size();
  return os.str();
}

std::vector<Tile> random_tiles(std::mt19937& rng, int rows, int cols, size_t count) {
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  std::vector<Tile> tiles;
  int64_t clock = 0;
  for (size_t i = 0; i < count; ++i) {
    Tile t;
    const int64_t m = pick(1, 16), kt = pick(1, rows), nt = pick(1, cols);
    const int abits = std::array<int, 4>{2, 4, 8, 16}[static_cast<size_t>(pick(0, 3))];
    const int wbits = std::array<int, 4>{2, 4, 8, 16}[static_cast<size_t>(pick(0, 3))];
    const bool ternary = pick(0, 3) == 0;
    const int64_t wmax = (int64_t{1} << (wbits - 1)) - 1;
    t.inputs.resize(m, kt);
    for (int64_t r = 0; r < m; ++r)
      for (int64_t k = 0; k < kt; ++k)
        t.inputs(r, k) = pick(0, 3) == 0 ? 0 : static_cast<int32_t>(pick(0, (int64_t{1} << abits) - 1));
    const int32_t scale_pos = static_cast<int32_t>(pick(1, 127)),
                  scale_neg = static_cast<int32_t>(pick(1, 127));
    t.weights.resize(kt, nt);
    for (int64_t k = 0; k < kt; ++k)
      for (int64_t n = 0; n < nt; ++n) {
        const int64_t code = pick(-1, 1);
        t.weights(k, n) = ternary ? static_cast<int32_t>(code > 0 ? scale_pos : (code < 0 ? -scale_neg : 0))
                                  : static_cast<int32_t>(pick(-wmax, wmax));
      }
    const int64_t chunks = std::min<int64_t>(m, pick(1, 3));
    for (int64_t c = 0; c < chunks; ++c) {
      sim::Chunk chunk;
      chunk.m0 = m * c / chunks;
      chunk.count = m * (c + 1) / chunks - chunk.m0;
      t.chunks.push_back(chunk);
    }
    clock += pick(0, 12);
    t.weights_ready = clock;
    for (int64_t c = 0; c < chunks; ++c) t.chunk_ready.push_back(clock + pick(0, 40));
    std::sort(t.chunk_ready.begin(), t.chunk_ready.end());
    tiles.push_back(std::move(t));
  }
  return tiles;
}

std::vector<Tile> random_ternary_tiles(std::mt19937& rng, int rows, int cols, size_t count, int32_t pos_scale,
                                       int32_t neg_scale) {
  std::vector<Tile> tiles = random_tiles(rng, rows, cols, count);
  for (auto& t : tiles)
    for (int64_t k = 0; k < t.weights.rows(); ++k)
      for (int64_t n = 0; n < t.weights.cols(); ++n) {
        const int code = std::uniform_int_distribution<int>(-1, 1)(rng);
        t.weights(k, n) = code > 0 ? pos_scale : (code < 0 ? -neg_scale : 0);
      }
  return tiles;
}

// Data-ready times from the tile list, known from the start: nothing is ever issued during the run.
class ScriptedPort : public models::ArrayDataPort {
 public:
  explicit ScriptedPort(const std::vector<Tile>& tiles) : tiles_(tiles) {}
  int64_t stationary_ready_cycle(size_t f) const override { return tiles_[f].weights_ready; }
  int64_t stream_ready_cycle(size_t f, size_t j) const override { return tiles_[f].chunk_ready[j]; }
  bool issue_transfers(int64_t) override { return false; }
  int64_t quantum_cycles() const override { return 0; }
  void stationary_loaded(size_t, int64_t) override {}
  void chunk_consumed(size_t, size_t, int64_t) override {}
  void fold_done(size_t, int64_t) override {}

 private:
  const std::vector<Tile>& tiles_;
};

struct LockstepBench::Runner : sc_core::sc_module {
  SC_HAS_PROCESS(Runner);
  Runner(sc_core::sc_module_name name, const sim::HardwareConfig& hw_config,
         std::unique_ptr<models::ArrayIf> a, const std::vector<Tile>& t, std::optional<MultiplierFree> mf)
      : sc_module(name), hw(hw_config), array(std::move(a)), tiles(t), port(tiles) {
    observation.outputs.resize(tiles.size());
    observation.emerged.resize(tiles.size());
    for (size_t i = 0; i < tiles.size(); ++i) {
      models::FoldWork w;
      w.inputs = &tiles[i].inputs;
      w.weights = &tiles[i].weights;
      w.kt = tiles[i].inputs.cols();
      w.nt = tiles[i].weights.cols();
      w.m = w.vectors = tiles[i].inputs.rows();
      w.chunks = tiles[i].chunks.data();
      w.chunk_count = tiles[i].chunks.size();
      observation.outputs[i].setZero(w.m, w.nt);
      w.out = {observation.outputs[i].data(), w.nt};
      w.emerged = &observation.emerged[i];
      if (mf) {
        w.multiplier_free = true;
        w.pos_scale = mf->pos_scale;
        w.neg_scale = mf->neg_scale;
      }
      work.push_back(w);
    }
    SC_THREAD(play);
  }
  void play() { observation.stats = array->run(work, port); }

  sim::HardwareConfig hw;
  std::unique_ptr<models::ArrayIf> array;
  std::vector<Tile> tiles;
  ScriptedPort port;
  std::vector<models::FoldWork> work;
  Observation observation;
};

LockstepBench::LockstepBench() = default;
LockstepBench::~LockstepBench() = default;

size_t LockstepBench::add(const sim::HardwareConfig& hw, std::unique_ptr<models::ArrayIf> array,
                          const std::vector<Tile>& tiles, std::optional<MultiplierFree> mf) {
  const std::string name = "lockstep" + std::to_string(runners_.size());
  runners_.push_back(std::make_unique<Runner>(name.c_str(), hw, std::move(array), tiles, mf));
  return runners_.size() - 1;
}

void LockstepBench::run() { sc_core::sc_start(); }

const Observation& LockstepBench::observation(size_t i) const { return runners_[i]->observation; }

std::optional<Mismatch> first_mismatch(const std::vector<Tile>& tiles, const Observation& ref,
                                       const Observation& act, int acc_bits) {
  for (size_t i = 0; i < tiles.size(); ++i) {
    const Tile& t = tiles[i];
    // An implementation that produced no (or a partial) output for a tile is a mismatch, never a crash.
    for (const Observation* o : {&ref, &act}) {
      const bool complete = o->outputs.size() > i && o->outputs[i].rows() == t.inputs.rows() &&
                            o->outputs[i].cols() == t.weights.cols() && o->emerged.size() > i &&
                            o->emerged[i].size() == static_cast<size_t>(t.inputs.rows()) &&
                            o->stats.fold_done_cycle.size() > i;
      if (!complete)
        return Mismatch{i,
                        -1,
                        -1,
                        -1,
                        t.inputs.rows(),
                        o->outputs.size() > i ? o->outputs[i].rows() : 0,
                        o == &ref ? "missing reference outputs" : "missing outputs"};
    }
    const sim::RowMatrix<int64_t> golden = t.inputs.cast<int64_t>() * t.weights.cast<int64_t>();
    for (int64_t v = 0; v < t.inputs.rows(); ++v) {
      const int64_t appeared = ref.emerged[i].empty() ? -1 : ref.emerged[i][static_cast<size_t>(v)];
      for (int64_t c = 0; c < t.weights.cols(); ++c) {
        const int64_t g = sim::wrap_to_bits(golden(v, c), acc_bits);
        const int64_t e = sim::wrap_to_bits(ref.outputs[i](v, c), acc_bits);
        const int64_t a = sim::wrap_to_bits(act.outputs[i](v, c), acc_bits);
        if (e != g) return Mismatch{i, v, c, appeared, g, e, "golden"};
        if (a != e) return Mismatch{i, v, c, appeared, e, a, "value"};
      }
      const int64_t act_appeared = act.emerged[i].empty() ? -1 : act.emerged[i][static_cast<size_t>(v)];
      if (act_appeared != appeared)
        return Mismatch{i, v, -1, appeared, appeared, act_appeared, "emergence cycle"};
    }
    if (ref.stats.fold_done_cycle[i] != act.stats.fold_done_cycle[i])
      return Mismatch{i,
                      -1,
                      -1,
                      ref.stats.fold_done_cycle[i],
                      ref.stats.fold_done_cycle[i],
                      act.stats.fold_done_cycle[i],
                      "fold done cycle"};
  }
  return std::nullopt;
}

std::string report(const Mismatch& m, const std::vector<Tile>& tiles, const std::string& vcd) {
  std::ostringstream os;
  os << "co-simulation mismatch (" << m.what << ") in tile " << m.tile << " [" << tiles[m.tile].describe()
     << "]";
  if (m.vector >= 0) os << ", output vector " << m.vector;
  if (m.column >= 0) os << ", PE column " << m.column;
  if (m.cycle >= 0) os << ", cycle " << m.cycle;
  os << ": expected " << m.expected << ", got " << m.actual;
  if (!vcd.empty()) os << "; waveform: " << vcd;
  return os.str();
}

}  // namespace deepchip::hw
