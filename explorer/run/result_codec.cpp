#include "explorer/run/result_codec.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "sim/io/json_input.hpp"

namespace deepchip::explorer {

namespace {

class ByteWriter {
 public:
  template <typename T>
  std::enable_if_t<std::is_arithmetic_v<T>> put(T value) {
    const auto wide = widen(value);
    char bytes[sizeof wide];
    std::memcpy(bytes, &wide, sizeof wide);
    out_.append(bytes, sizeof wide);
  }
  void put(const std::string& s) {
    put(static_cast<uint64_t>(s.size()));
    out_ += s;
  }
  void put(const std::vector<std::string>& v) {
    put(static_cast<uint64_t>(v.size()));
    for (const auto& s : v) put(s);
  }
  std::string take() { return std::move(out_); }

 private:
  // Every integer (and bool) travels as 8 bytes, every floating-point value as a double.
  template <typename T>
  static auto widen(T value) {
    if constexpr (std::is_floating_point_v<T>)
      return static_cast<double>(value);
    else
      return static_cast<int64_t>(value);
  }
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(const std::string& in) : in_(in) {}

  template <typename T>
  std::enable_if_t<std::is_arithmetic_v<T>> get(T& value) {
    using Wide = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;
    Wide wide{};
    std::memcpy(&wide, take(sizeof wide), sizeof wide);
    value = static_cast<T>(wide);
  }
  void get(std::string& s) {
    const uint64_t size = count();
    s.assign(take(static_cast<size_t>(size)), static_cast<size_t>(size));
  }
  void get(std::vector<std::string>& v) {
    v.resize(static_cast<size_t>(count()));
    for (auto& s : v) get(s);
  }
  // A length or an element count: at most the bytes left, so that a damaged one cannot ask for terabytes.
  uint64_t count() {
    uint64_t n = 0;
    get(n);
    if (n > in_.size() - pos_) throw std::runtime_error("a length beyond the message");
    return n;
  }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  const char* take(size_t n) {
    if (n > in_.size() - pos_) throw std::runtime_error("the message is cut short");
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  const std::string& in_;
  size_t pos_ = 0;
};

// One function per type, for writing and reading alike: `io` is a ByteWriter (const values) or a
// ByteReader (values to fill).
template <typename IO, typename Stats>
void transfer_layer(IO& io, Stats& s) {
  io(s.name), io(s.kind), io(s.golden_match);
  s.visit_fields([&](const char*, auto& value, const char*, const char*) { io(value); });
}

template <typename IO, typename Soc>
void transfer_soc(IO& io, Soc& s) {
  s.visit_fields([&](const char*, auto& value) { io(value); });
  s.used.visit([&](const char*, auto& value) { io(value); });
  s.available.visit([&](const char*, auto& value) { io(value); });
}

template <typename IO, typename Silicon>
void transfer_silicon(IO& io, Silicon& s) {
  s.visit_fields([&](const char*, auto& value, const char*, const char*) { io(value); });
}

template <typename IO, typename Step>
void transfer_step(IO& io, Step& st) {
#define DEEPCHIP_TRANSFER_STEP(type, name, unit, doc) io(st.name);
  DEEPCHIP_DECODING_STEP_FIELDS(DEEPCHIP_TRANSFER_STEP)
#undef DEEPCHIP_TRANSFER_STEP
}

template <typename IO, typename Decoding>
void transfer_decoding(IO& io, Decoding& d) {
  io(d.prompt_tokens), io(d.decode_tokens), io(d.batch);
  d.visit_fields([&](const char*, auto& value, const char*, const char*) { io(value); });
  transfer_layer(io, d.prefill);
  transfer_layer(io, d.decode);
}

struct Put {
  ByteWriter& w;
  template <typename T>
  void operator()(const T& value) const {
    w.put(value);
  }
};

struct Get {
  ByteReader& r;
  template <typename T>
  void operator()(T& value) const {
    r.get(value);
  }
};

void write_result(ByteWriter& w, const sim::PointResult& r) {
  Put io{w};
  io(r.ok), io(r.reason), io(r.verified), io(r.golden_match), io(r.seconds);
  transfer_layer(io, r.total);
  w.put(static_cast<uint64_t>(r.layers.size()));
  for (const auto& l : r.layers) transfer_layer(io, l);
  io(r.soc.has_value());
  if (r.soc) transfer_soc(io, *r.soc);
  io(r.silicon.has_value());
  if (r.silicon) transfer_silicon(io, *r.silicon);
  io(r.decoding.has_value());
  if (r.decoding) {
    transfer_decoding(io, *r.decoding);
    w.put(static_cast<uint64_t>(r.decoding->steps.size()));
    for (const auto& st : r.decoding->steps) transfer_step(io, st);
  }
}

// A flag, then the optional's value when the flag is set.
template <typename T, typename Fill>
void read_optional(ByteReader& r, std::optional<T>& value, Fill fill) {
  bool present = false;
  r.get(present);
  if (!present) return;
  value.emplace();
  fill(*value);
}

sim::PointResult read_result(ByteReader& r) {
  sim::PointResult p;
  Get io{r};
  io(p.ok), io(p.reason), io(p.verified), io(p.golden_match), io(p.seconds);
  transfer_layer(io, p.total);
  p.layers.resize(static_cast<size_t>(r.count()));
  for (auto& l : p.layers) transfer_layer(io, l);
  read_optional(r, p.soc, [&](sim::SocSummary& s) { transfer_soc(io, s); });
  read_optional(r, p.silicon, [&](sim::SiliconSummary& s) { transfer_silicon(io, s); });
  read_optional(r, p.decoding, [&](sim::DecodingSummary& d) {
    transfer_decoding(io, d);
    d.steps.resize(static_cast<size_t>(r.count()));
    for (auto& st : d.steps) transfer_step(io, st);
  });
  return p;
}

}  // namespace

std::string encode_result(const sim::PointResult& result) {
  ByteWriter w;
  write_result(w, result);
  w.put(sim::dump_json(sim::to_json(result)));
  return w.take();
}

EncodedResult decode_result(const std::string& body) {
  ByteReader r(body);
  EncodedResult e;
  e.result = read_result(r);
  r.get(e.json);
  if (!r.at_end()) throw std::runtime_error("bytes after the result");
  return e;
}

}  // namespace deepchip::explorer
