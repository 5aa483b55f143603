/* LD_PRELOAD shim for the PostgreSQL SQL check (tests/pg/sql_check.py): appends the text
 * of every statement huizhan prepares through db_prepare (sqlite3_prepare_v3; SQLite's own
 * statements, e.g. those of VACUUM, use other entry points) to $HZ_SQL_LOG, records
 * separated by a NUL byte, so that statements assembled at run time (store/record_store.c)
 * are checked too. Build: cc -shared -fPIC -o sql_log_shim.so sql_log_shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void log_sql(const char *sql, int n) {
  const char *path = getenv("HZ_SQL_LOG");
  if (!path || !sql) return;
  size_t len = n < 0 ? strlen(sql) : strnlen(sql, (size_t)n);
  pthread_mutex_lock(&lock);
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    if (write(fd, sql, len) < 0 || write(fd, "", 1) < 0) { /* best effort */ }
    close(fd);
  }
  pthread_mutex_unlock(&lock);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned flags, sqlite3_stmt **st, const char **tail) {
  static int (*real)(sqlite3 *, const char *, int, unsigned, sqlite3_stmt **, const char **);
  if (!real) real = (int (*)(sqlite3 *, const char *, int, unsigned, sqlite3_stmt **, const char **))dlsym(RTLD_NEXT, "sqlite3_prepare_v3");
  log_sql(sql, n);
  return real(db, sql, n, flags, st, tail);
}
