// A sweep's design space: its networks times the values of its axes. Points are made on demand from their
// coordinates (one value index per dimension), so a space of 10^12 points costs nothing until a search
// strategy asks for some of them.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "explorer/config/objectives.hpp"

namespace deepchip::explorer {

struct PointConfig;

// One value index per dimension: dimension 0 is the network, then the axes in the order written.
using Coords = std::vector<uint32_t>;

struct Axis {
  std::string section, name;           // the key the axis varies
  std::vector<nlohmann::json> values;  // in the order written
  // A per-layer axis (layer_axes): the key of quantization.layer_overrides.<layer>; empty: section.name.
  std::string layer;
  std::string label() const { return layer.empty() ? name : layer + ":" + name; }
  // The axis's value in a point's effective config.
  const nlohmann::json& value_in(const nlohmann::json& effective) const;
  void set_in(nlohmann::json& effective, const nlohmann::json& value) const;
};

class DesignSpace {
 public:
  DesignSpace() = default;
  // `base`: every section with its defaults and the sweep's fixed settings; `networks` resolved.
  // `constraints`: the sweep's, given to every point.
  DesignSpace(nlohmann::json base, std::vector<std::string> networks, std::vector<Axis> axes,
              std::vector<MetricConstraint> constraints = {});

  size_t dimensions() const { return axes_.size() + 1; }
  size_t values(size_t dimension) const;  // how many values dimension d has
  long double size() const;               // the number of points (may exceed 2^64)
  const std::vector<Axis>& axes() const { return axes_; }

  PointConfig point(const Coords& c) const;
  // The grid's `index`-th point (networks outermost, the last axis fastest); needs size() < 2^64.
  Coords grid_coords(uint64_t index) const;

 private:
  nlohmann::json base_;
  std::vector<std::string> networks_;
  std::vector<Axis> axes_;
  std::vector<MetricConstraint> constraints_;
};

}  // namespace deepchip::explorer
