#include "explorer/search/front_history.hpp"

#include <cmath>
#include <map>

#include "explorer/search/hypervolume.hpp"

namespace deepchip::explorer {

namespace {

constexpr double kReference = 1.1;  // in normalised units

struct Normalisation {
  std::vector<size_t> used;  // objectives every eligible point of the network has a value for
  std::vector<double> ideal, nadir;
};

Normalisation normalisation(const std::vector<std::vector<double>>& values, size_t objectives) {
  Normalisation n;
  for (size_t m = 0; m < objectives; ++m) {
    double lo = INFINITY, hi = -INFINITY;
    bool all = !values.empty();
    for (const auto& v : values) {
      if (std::isnan(v[m])) all = false;
      lo = std::min(lo, v[m]);
      hi = std::max(hi, v[m]);
    }
    if (!all) continue;
    n.used.push_back(m);
    n.ideal.push_back(lo);
    n.nadir.push_back(hi);
  }
  return n;
}

std::vector<double> normalised(const std::vector<double>& v, const Normalisation& n) {
  std::vector<double> out;
  for (size_t k = 0; k < n.used.size(); ++k) {
    const double range = n.nadir[k] - n.ideal[k];
    out.push_back(range > 0 ? (v[n.used[k]] - n.ideal[k]) / range : 0.0);
  }
  return out;
}

}  // namespace

nlohmann::json front_history(const std::vector<PointOutcome>& outcomes,
                             const std::vector<size_t>& generation_ends,
                             const std::vector<std::string>& objectives) {
  std::map<std::string, std::vector<size_t>> eligible_of;  // network -> eligible outcomes, in order
  for (size_t i = 0; i < outcomes.size(); ++i)
    if (eligible(outcomes[i])) eligible_of[outcomes[i].point.network].push_back(i);
  nlohmann::json networks = nlohmann::json::array();
  for (const auto& [network, indices] : eligible_of) {
    std::vector<std::vector<double>> values;
    for (size_t i : indices) values.push_back(objective_values(outcomes[i], objectives));
    const Normalisation n = normalisation(values, objectives.size());
    nlohmann::json entry = {{"network", network},
                            {"objectives", nlohmann::json::array()},
                            {"reference_point", nlohmann::json::array()},
                            {"generations", nlohmann::json::array()}};
    for (size_t k = 0; k < n.used.size(); ++k) {
      entry["objectives"].push_back(objectives[n.used[k]]);
      entry["reference_point"].push_back(n.ideal[k] + kReference * (n.nadir[k] - n.ideal[k]));
    }
    const std::vector<double> reference(n.used.size(), kReference);
    for (size_t end : generation_ends) {
      std::vector<std::vector<double>> evaluated;
      for (size_t k = 0; k < indices.size() && indices[k] < end; ++k)
        evaluated.push_back(normalised(values[k], n));
      entry["generations"].push_back(
          {{"evaluated", end}, {"hypervolume", hypervolume(std::move(evaluated), reference)}});
    }
    networks.push_back(std::move(entry));
  }
  return networks;
}

}  // namespace deepchip::explorer
