#include "models/array/vcd_writer.hpp"

#include <map>

namespace deepchip::models {

namespace {
std::string id_code(size_t n) {  // printable identifier codes '!'..'~'
  std::string s;
  do {
    s += static_cast<char>('!' + n % 94);
    n /= 94;
  } while (n > 0);
  return s;
}
}  // namespace

VcdWriter::VcdWriter(sim::OutputFile& out) : out_(out) {}

VcdWriter::~VcdWriter() {
  finish_header();
  emit("#" + std::to_string(time_ < 0 ? 0 : time_ + 1) + "\n");
}

int VcdWriter::declare(const std::string& scope, const std::string& name, int bits) {
  vars_.push_back({scope, name, id_code(vars_.size()), bits, 0, false});
  return static_cast<int>(vars_.size()) - 1;
}

void VcdWriter::finish_header() {
  if (header_done_) return;
  header_done_ = true;
  emit("$timescale 1ns $end\n");
  std::map<std::string, std::vector<const Var*>> scopes;
  for (const auto& v : vars_) scopes[v.scope].push_back(&v);
  for (const auto& [scope, vars] : scopes) {
    emit("$scope module " + scope + " $end\n");
    for (const Var* v : vars)
      emit("$var wire " + std::to_string(v->bits) + " " + v->code + " " + v->name + " $end\n");
    emit("$upscope $end\n");
  }
  emit("$enddefinitions $end\n");
}

void VcdWriter::change(int64_t t, int id, uint64_t v) {
  finish_header();
  Var& var = vars_[static_cast<size_t>(id)];
  if (var.bits < 64) v &= (uint64_t{1} << var.bits) - 1;
  if (var.written && var.value == v) return;
  if (t != time_) {
    emit("#" + std::to_string(t) + "\n");
    time_ = t;
  }
  var.value = v;
  var.written = true;
  if (var.bits == 1) {
    emit((v ? "1" : "0") + var.code + "\n");
    return;
  }
  std::string line = "b";
  for (int b = var.bits - 1; b >= 0; --b) line += ((v >> b) & 1) ? '1' : '0';
  emit(line + " " + var.code + "\n");
}

}  // namespace deepchip::models
