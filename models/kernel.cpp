#include "models/kernel.hpp"

#include <systemc>
#include <tlm>

namespace deepchip::models {

namespace {

bool used(sc_core::sc_simcontext* context) {
  return context->elaboration_done() || context->get_status() != sc_core::SC_ELABORATION ||
         !sc_core::sc_get_top_level_objects(context).empty() ||
         !sc_core::sc_get_top_level_events(context).empty();
}

}  // namespace

void use_fresh_kernel() {
  static sc_core::sc_simcontext* const first = sc_core::sc_get_curr_simcontext();
  sc_core::sc_simcontext* const old = sc_core::sc_curr_simcontext;
  if (old == nullptr || !used(old)) return;
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  if (old != first) delete old;
  // A system run sets it unbounded (models/system/evaluate.cpp); the accelerator reads it at construction.
  tlm::tlm_global_quantum::instance().set(sc_core::SC_ZERO_TIME);
}

}  // namespace deepchip::models
