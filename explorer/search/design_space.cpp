#include "explorer/search/design_space.hpp"

#include "explorer/config/config.hpp"

namespace deepchip::explorer {

const nlohmann::json& Axis::value_in(const nlohmann::json& e) const {
  static const nlohmann::json missing;
  const std::vector<std::string> path =
      layer.empty() ? std::vector<std::string>{section, name}
                    : std::vector<std::string>{"quantization", "layer_overrides", layer, name};
  const nlohmann::json* v = &e;
  for (const auto& key : path) {
    if (!v->is_object() || !v->contains(key)) return missing;
    v = &(*v)[key];
  }
  return *v;
}

void Axis::set_in(nlohmann::json& e, const nlohmann::json& value) const {
  if (layer.empty())
    e[section][name] = value;
  else
    e["quantization"]["layer_overrides"][layer][name] = value;
}

DesignSpace::DesignSpace(nlohmann::json base, std::vector<std::string> networks, std::vector<Axis> axes,
                         std::vector<MetricConstraint> constraints)
    : base_(std::move(base)),
      networks_(std::move(networks)),
      axes_(std::move(axes)),
      constraints_(std::move(constraints)) {}

size_t DesignSpace::values(size_t dimension) const {
  return dimension == 0 ? networks_.size() : axes_[dimension - 1].values.size();
}

long double DesignSpace::size() const {
  long double n = 1;
  for (size_t d = 0; d < dimensions(); ++d) n *= static_cast<long double>(values(d));
  return n;
}

PointConfig DesignSpace::point(const Coords& c) const {
  nlohmann::json e = base_;
  e["network"] = networks_.at(c.at(0));
  for (size_t a = 0; a < axes_.size(); ++a) axes_[a].set_in(e, axes_[a].values.at(c.at(a + 1)));
  PointConfig p = point_from_effective(e);
  p.constraints = constraints_;
  return p;
}

Coords DesignSpace::grid_coords(uint64_t index) const {
  Coords c(dimensions());
  for (size_t d = dimensions(); d-- > 0;) {
    const uint64_t n = values(d);
    c[d] = static_cast<uint32_t>(index % n);
    index /= n;
  }
  return c;
}

}  // namespace deepchip::explorer
