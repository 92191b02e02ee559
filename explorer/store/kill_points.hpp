// Kill points for the resume tests (tests/explorer/resume_test.cpp): a process SIGKILLs itself at a moment
// the test names by count, never by the wall clock, so that every kill lands where the test says.
//   DSE_TEST_KILL_AFTER_COMMITS=N  the sweep's main process, right after its Nth committed point (N >= 1)
//   DSE_TEST_KILL_WORKERS=I,J,...  the workers of the Ith, Jth, ... points this process starts (from 0),
//                                  before they evaluate them (an interruption: the points run on resume)
//   DSE_TEST_CRASH_WORKERS=I,J,... the same workers abort (SIGABRT) instead: a crash, which fails the point
//   DSE_TEST_THROW_IN_POINTS=I,... those points throw (the worker then sends the error and exits)
// Unset (always, outside those tests), they do nothing.
#pragma once
#include <cstdint>

namespace deepchip::explorer {

// Called after each commit of a point to the store.
void kill_point_after_commit();
// Called in a worker process before each point, with the point's start index among this process's points.
void kill_point_in_worker(int64_t point_start);
// Called in a worker process where the point's evaluation may throw.
void throw_in_point(int64_t point_start);

}  // namespace deepchip::explorer
