// A point's result as a worker hands it to the sweep: sim::PointResult in a compact binary form, beside
// the JSON text the store keeps (sim::dump_json(sim::to_json(result)), made in the worker, which runs in
// parallel, instead of in the sweep process, which serves every worker). Reading 54 KB of indented JSON
// per ResNet-18 point and writing it again for the store were a third of the sweep process's time
// (tests/bench/results.md, issue 32).
//
// The binary form is every field in declaration order (the stats' visitors, sim/cost/stats.hpp): integers
// and doubles as their 8 bytes (doubles bit for bit, so the decoded result equals the worker's exactly),
// strings length-prefixed. It lives only between a worker and the sweep that forked it (the same build),
// so it has no version.
#pragma once
#include <string>

#include "sim/cost/stats.hpp"

namespace deepchip::explorer {

struct EncodedResult {
  sim::PointResult result;
  std::string json;  // sim::dump_json(sim::to_json(result)): what the store keeps
};

// `result` and its store JSON as one message body.
std::string encode_result(const sim::PointResult& result);
// The body's result and JSON; throws std::runtime_error when it is cut short or malformed.
EncodedResult decode_result(const std::string& body);

}  // namespace deepchip::explorer
