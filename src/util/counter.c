/* The counters of counter.h: each on its own cache line, so threads counting different
 * events do not contend. */
#include "util/counter.h"
#include <stdatomic.h>

static struct {
  _Alignas(64) atomic_uint_fast64_t v;
} counters[COUNTER_N];

void counter_add(Counter c, uint64_t n) { atomic_fetch_add_explicit(&counters[c].v, n, memory_order_relaxed); }

uint64_t counter_get(Counter c) { return atomic_load_explicit(&counters[c].v, memory_order_relaxed); }
