#include "sim/io/json_input.hpp"

#include <filesystem>
#include <fstream>
#include <unordered_set>
#include <vector>

#include "sim/io/errors.hpp"

namespace deepchip::sim {

namespace fs = std::filesystem;

std::string read_input_file(const std::string& path, const std::string& what, int64_t max_bytes) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path + ": cannot open " + what);
  const bool vowel = !what.empty() && std::string("aeiou").find(what[0]) != std::string::npos;
  if (fs::is_directory(status))
    throw InputError(path + ": is a directory, not " + (vowel ? "an " : "a ") + what);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path + ": cannot open " + what);
  // Read at most max_bytes + 1 so that a device or a FIFO cannot make us read forever.
  std::string text;
  std::vector<char> buf(1 << 16);
  while (f) {
    f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    text.append(buf.data(), static_cast<size_t>(f.gcount()));
    if (static_cast<int64_t>(text.size()) > max_bytes)
      throw InputError(path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes for " +
                       (vowel ? "an " : "a ") + what);
  }
  if (f.bad()) throw InputError(path + ": cannot read " + what);
  return text;
}

namespace {

// Builds the document from SAX events with an explicit stack: no recursion, whatever the input.
template <typename Json>
class BoundedBuilder {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  BoundedBuilder(Json& root, std::string origin) : root_(root), origin_(std::move(origin)) {}
  const std::string& error() const { return error_; }

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) { return put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) { return put(Json(v)); }
  bool string(string_t& v) { return put(Json(v)); }
  bool binary(binary_t& v) { return put(Json::binary(v)); }
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(string_t& k) {
    Frame& f = stack_.back();
    if (!f.keys.insert(k).second) return fail(child_path(f, k) + ": duplicate key");
    f.key = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    return fail(std::string("not valid JSON: ") + e.what());
  }

 private:
  struct Frame {
    Json* value;
    std::string path;
    std::string key;  // objects: the key of the value that comes next
    std::unordered_set<std::string> keys;
  };

  bool fail(const std::string& what) {
    if (error_.empty()) error_ = origin_ + ": " + what;
    return false;
  }
  std::string child_path(const Frame& f, const std::string& key) const {
    if (f.value->is_array()) return f.path + "[" + std::to_string(f.value->size()) + "]";
    return f.path.empty() ? key : f.path + "." + key;
  }
  // Inserts `v` where the document is at; returns where it went.
  Json* insert(Json&& v, std::string* path) {
    if (stack_.empty()) {
      root_ = std::move(v);
      if (path) *path = "";
      return &root_;
    }
    Frame& f = stack_.back();
    if (path) *path = child_path(f, f.key);
    if (f.value->is_array()) {
      f.value->push_back(std::move(v));
      return &f.value->back();
    }
    Json& slot = (*f.value)[f.key];
    slot = std::move(v);
    return &slot;
  }
  bool put(Json&& v) {
    insert(std::move(v), nullptr);
    return true;
  }
  bool open(Json&& container) {
    std::string path;
    if (stack_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      if (!stack_.empty()) path = child_path(stack_.back(), stack_.back().key);
      if (path.size() > 40) path = path.substr(0, 40) + "...";
      return fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels" +
                  (path.empty() ? "" : " (at " + path + ")"));
    }
    Json* where = insert(std::move(container), &path);
    stack_.push_back({where, path, "", {}});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  std::string origin_;
  std::vector<Frame> stack_;
  std::string error_;
};

template <typename Json>
Json parse_bounded(const std::string& text, const std::string& origin) {
  Json root;
  BoundedBuilder<Json> builder(root, origin);
  bool ok = false;
  try {
    ok = Json::sax_parse(text, &builder);
  } catch (const nlohmann::json::exception& e) {  // the SAX parser reports through parse_error; defensive
    throw InputError(origin + ": not valid JSON: " + e.what());
  }
  if (!ok) throw InputError(builder.error().empty() ? origin + ": not valid JSON" : builder.error());
  return root;
}

}  // namespace

nlohmann::ordered_json parse_json_ordered(const std::string& text, const std::string& origin) {
  return parse_bounded<nlohmann::ordered_json>(text, origin);
}

nlohmann::json parse_json(const std::string& text, const std::string& origin) {
  return parse_bounded<nlohmann::json>(text, origin);
}

std::string dump_json(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump_json(const nlohmann::ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool is_valid_utf8(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= n) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

}  // namespace deepchip::sim
