/* One-line log records to stderr: time, level, message. */
#ifndef HZ_LOG_H
#define HZ_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 0 silences info records (tests, CLI). */
void log_set_verbose(int on);

#endif
