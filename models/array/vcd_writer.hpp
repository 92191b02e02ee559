// A minimal VCD writer (IEEE 1364 value change dump) for models whose state lives in C++ arrays rather than
// SystemC signals: variables are declared up front, then values change at increasing times.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/io/output_file.hpp"

namespace deepchip::models {

class VcdWriter {
 public:
  // Writes into `out` (its owner commits it after the writer is gone; write errors surface there).
  explicit VcdWriter(sim::OutputFile& out);
  ~VcdWriter();
  VcdWriter(const VcdWriter&) = delete;
  VcdWriter& operator=(const VcdWriter&) = delete;
  // Declares a variable of `bits` (1..64) in `scope`; returns its handle. Only before the first change.
  int declare(const std::string& scope, const std::string& name, int bits);
  // Records value `v` of variable `id` at time `t` (t never decreases); unchanged values are not written.
  void change(int64_t t, int id, uint64_t v);

 private:
  void finish_header();
  void emit(const std::string& text) { out_.write(text); }
  sim::OutputFile& out_;
  struct Var {
    std::string scope, name, code;
    int bits;
    uint64_t value;
    bool written;
  };
  std::vector<Var> vars_;
  bool header_done_ = false;
  int64_t time_ = -1;
};

}  // namespace deepchip::models
