#include "models/array/vcd_writer.hpp"

#include <map>
#include <stdexcept>

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

VcdWriter::VcdWriter(const std::string& path) : out_(path) {
  if (!out_) throw std::runtime_error(path + ": cannot write the waveform");
}

VcdWriter::~VcdWriter() {
  finish_header();
  out_ << "#" << (time_ < 0 ? 0 : time_ + 1) << "\n";
}

int VcdWriter::declare(const std::string& scope, const std::string& name, int bits) {
  vars_.push_back({scope, name, id_code(vars_.size()), bits, 0, false});
  return static_cast<int>(vars_.size()) - 1;
}

void VcdWriter::finish_header() {
  if (header_done_) return;
  header_done_ = true;
  out_ << "$timescale 1ns $end\n";
  std::map<std::string, std::vector<const Var*>> scopes;
  for (const auto& v : vars_) scopes[v.scope].push_back(&v);
  for (const auto& [scope, vars] : scopes) {
    out_ << "$scope module " << scope << " $end\n";
    for (const Var* v : vars)
      out_ << "$var wire " << v->bits << " " << v->code << " " << v->name << " $end\n";
    out_ << "$upscope $end\n";
  }
  out_ << "$enddefinitions $end\n";
}

void VcdWriter::change(int64_t t, int id, uint64_t v) {
  finish_header();
  Var& var = vars_[static_cast<size_t>(id)];
  if (var.bits < 64) v &= (uint64_t{1} << var.bits) - 1;
  if (var.written && var.value == v) return;
  if (t != time_) {
    out_ << "#" << t << "\n";
    time_ = t;
  }
  var.value = v;
  var.written = true;
  if (var.bits == 1) {
    out_ << (v ? '1' : '0') << var.code << "\n";
    return;
  }
  std::string bits;
  for (int b = var.bits - 1; b >= 0; --b) bits += ((v >> b) & 1) ? '1' : '0';
  out_ << "b" << bits << " " << var.code << "\n";
}

}  // namespace deepchip::models
