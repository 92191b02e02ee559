// The worker side of the pool (worker_pool.hpp): a forked process that evaluates design points one after
// another, as the sweep sends them, each in a fresh SystemC kernel (models/kernel.hpp). A point's job is
// its index in the batch; the worker computes its WorkerJob itself from the batch it was forked with, and
// reads its workload from the cache it shares copy-on-write with the sweep (forked at the cache's
// revision that has it).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>

#include "explorer/run/worker_pool.hpp"
#include "explorer/run/workload_cache.hpp"

namespace deepchip::explorer {

// The message that asks a worker for job `index`, the `start`th point this sweep process starts (counted
// over every batch, for the kill points of the resume tests).
std::string point_request(size_t index, int64_t start);

// A worker's answer to a point_request: the encoded result (result_codec.hpp), marked when the worker exits
// after it.
std::string point_answer(const std::string& encoded_result, bool last);
// Strips an answer's mark from `text`, leaving the encoded result; true when the worker exits after it.
bool take_answer_mark(std::string& text);

// Runs in the forked child: sets the process up (it dies with `parent`, takes SIGINT/SIGTERM by default),
// then answers each point_request read from `requests_fd` with the point's encoded result on
// `results_fd`, until the sweep closes `requests_fd`. Each point runs under settings.memory_limit_mib of
// address space beyond what the worker held before it. After a point that threw (out of memory, an error),
// the worker exits once its result is sent: the sweep starts a new one.
[[noreturn]] void serve_points(const std::function<WorkerJob(size_t)>& job, WorkloadCache& cache,
                               int requests_fd, int results_fd, const PoolSettings& settings, pid_t parent);

}  // namespace deepchip::explorer
