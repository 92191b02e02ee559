// A SystemC kernel per design point, so that one process evaluates many points one after another.
//
// SystemC elaborates once per simulation context: after sc_start, no module can be added to it. Every
// model of this project lives in sc_core's current context (sc_get_curr_simcontext), so giving the
// process a new, empty context between points is all a new elaboration needs. The context a point used is
// deleted with its processes, events and coroutine stacks, except the process's first one: SystemC's own
// static events belong to it and are destroyed at exit, so it is kept (and lives unused).
#pragma once

namespace deepchip::models {

// Before elaborating a design point: when the current context has been elaborated or simulated, or holds
// any object, replace it by a fresh one (time 0, nothing elaborated, the TLM global quantum at its default
// of zero). A no-op in a process that has not used SystemC yet. Call it only when no module of the old
// context is alive.
void use_fresh_kernel();

}  // namespace deepchip::models
