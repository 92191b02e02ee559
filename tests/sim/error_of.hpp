// The message of the InputError `f` throws ("" if it throws none): what the loader tests compare.
#pragma once
#include <functional>
#include <string>

#include "sim/io/errors.hpp"

namespace deepchip::sim::testing {

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace deepchip::sim::testing
