// Kill points for the resume tests (tests/explorer/resume_test.cpp): a process SIGKILLs itself at a moment
// the test names by count, never by the wall clock, so that every kill lands where the test says.
//   DSE_TEST_KILL_AFTER_COMMITS=N  the sweep's main process, right after its Nth committed point (N >= 1)
//   DSE_TEST_KILL_WORKERS=I,J,...  the workers of the Ith, Jth, ... points this process starts (from 0),
//                                  before they evaluate anything
// Unset (always, outside those tests), they do nothing.
#pragma once
#include <cstdint>

namespace deepchip::explorer {

// Called after each commit of a point to the store.
void kill_point_after_commit();
// Called in a worker process, with the index of its start among this process's workers.
void kill_point_in_worker(int64_t worker_index);

}  // namespace deepchip::explorer
