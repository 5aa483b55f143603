#include "util/log.h"
#include "util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>

static int verbose = 1;

void log_set_verbose(int on) { verbose = on; }

/* The format attribute lets clang check callers instead of warning here (-Wformat-nonliteral). */
__attribute__((format(printf, 2, 0))) static void log_line(const char *level, const char *fmt, va_list ap) {
  char ts[TIMESTAMP_LEN], line[1024];
  time_now_iso(ts);
  vsnprintf(line, sizeof line, fmt, ap);
  fprintf(stderr, "%s %s %s\n", ts, level, line);
}

#define LOG_FN(name, level, cond)        \
  void name(const char *fmt, ...) {      \
    if (!(cond)) return;                 \
    va_list ap;                          \
    va_start(ap, fmt);                   \
    log_line(level, fmt, ap);            \
    va_end(ap);                          \
  }

LOG_FN(log_info, "info", verbose)
LOG_FN(log_warn, "warn", 1)
LOG_FN(log_error, "error", 1)
