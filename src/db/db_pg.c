/* PostgreSQL 15 behind db.h (DbEngine, db_impl.h), through libpq: the one file that
 * includes libpq-fe.h.
 *
 * One connection per Db. A statement is prepared on the server once per connection (a
 * named statement, at its first run, when the kinds of its parameters are known), with
 * '?' rewritten to $1, $2 … outside quoted text. Parameters go as text, blobs as binary
 * bytea; results come back as text (bytea in hex, decoded on reading). db_step runs the
 * statement on its first step and then walks the rows of its result.
 *
 * Write transactions (db.h): the outermost level is BEGIN (READ COMMITTED) plus
 * pg_advisory_xact_lock(DB_PG_WRITE_LOCK), so one writer at a time across every instance
 * on the database, like SQLite's BEGIN IMMEDIATE. Under READ COMMITTED each statement
 * sees what was committed before it started, and the lock is taken before the first
 * statement of the transaction's work: a writer therefore reads every earlier write.
 * (REPEATABLE READ would freeze its snapshot at the lock statement itself, taken before
 * the wait: it would miss the write it waited for.) A failed statement leaves
 * PostgreSQL's transaction able only to roll back, to the innermost savepoint or all of
 * it: db_rollback of that level does it (db.c), a commit before that fails. */
#include "db/db_impl.h"
#include "util/buf.h"
#include "util/log.h"
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Advisory lock keys (any constant the application alone uses; "hz" + 1 or 2). */
#define DB_PG_WRITE_LOCK 0x687a0001LL
#define DB_PG_MIGRATE_LOCK 0x687a0002LL
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25

typedef struct {
  PGconn *c;
  int changes;      /* rows changed by the last INSERT, UPDATE or DELETE */
  unsigned seq;     /* names of prepared statements */
  unsigned gen;     /* bumped when the connection is made again: prepared statements are gone */
  int closing;      /* db_close: no DEALLOCATE of each statement */
  json_t *fkeys;    /* loading mode: the foreign keys dropped, [[table, name, definition] …] */
} PgConn;

enum { P_NULL, P_INT, P_TEXT, P_BLOB };

typedef struct {
  DbStmt base;
  PgConn *pc;
  char name[24];
  char *sql;        /* with $n */
  int nparams;
  char **vals;      /* owned copies; NULL for SQL NULL */
  int *lens, *fmts;
  unsigned char *kinds;
  int prepared;     /* 1 when prepared on the server at generation gen */
  unsigned gen;
  PGresult *res;    /* the result of the run, NULL before the first step */
  int row;          /* the current row; -1 before the first */
  int done;         /* DB_DONE was answered: the next step runs the statement again */
  int chunked;      /* db_chunked: run as a cursor, DB_CHUNK_ROWS rows a fetch */
  int cursor_open;  /* the cursor <name>_c is open on the server */
  unsigned char **blobs; /* decoded bytea of the current row, per column */
  size_t *blob_lens;
  int nblobs;
} PgStmt;

#define PC(db) ((PgConn *)(db)->h)
#define P(st) ((PgStmt *)(st))

/* ---- errors ---- */

/* The last of the columns named in a key detail, "Key (a, b)=(…) …" -> b; "" when the
 * key is an expression (an index on COALESCE(…) …), as db_sqlite.c does. */
static void key_column(const char *detail, char *out, size_t n) {
  out[0] = 0;
  const char *p = detail ? strstr(detail, "Key (") : NULL;
  if (!p) return;
  p += 5;
  const char *end = strstr(p, ")=");
  if (!end || memchr(p, '(', (size_t)(end - p))) return;
  const char *last = end;
  while (last > p && last[-1] != ' ' && last[-1] != ',') last--;
  size_t len = (size_t)(end - last);
  if (*last == '"' || !len || len >= n) return;
  memcpy(out, last, len);
  out[len] = 0;
}

/* A CHECK constraint's column: PostgreSQL names one on a single column <table>_<column>_check
 * (with a number after it when taken), and one on several columns <table>_check, which
 * names no column (as SQLite's "a IS NULL OR b IS NULL"). Named constraints name none. */
static void check_column(const char *table, const char *constraint, char *out, size_t n) {
  out[0] = 0;
  if (!table || !constraint) return;
  size_t tl = strlen(table);
  if (strncmp(constraint, table, tl) || constraint[tl] != '_') return;
  const char *col = constraint + tl + 1;
  const char *suffix = strstr(col, "_check");
  if (!suffix || suffix == col) return;
  const char *after = suffix + 6;
  while (isdigit((unsigned char)*after)) after++;
  if (*after) return;
  size_t len = (size_t)(suffix - col);
  if (len >= n) return;
  memcpy(out, col, len);
  out[len] = 0;
}

/* Maps a failed result (NULL: out of memory or no connection) to an HzRc with e set. */
static int pg_fail(PgConn *pc, const PGresult *res, HzErr *e) {
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (!msg) msg = PQerrorMessage(pc->c);
  if (!state) state = "";
  int rc = HZ_EDB;
  char column[64] = "";
  if (!strcmp(state, "23505")) {
    rc = HZ_ECONFLICT;
    key_column(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), column, sizeof column);
  } else if (!strcmp(state, "23502")) {
    rc = HZ_EINVAL;
    const char *c = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
    if (c && strlen(c) < sizeof column) snprintf(column, sizeof column, "%s", c);
  } else if (!strcmp(state, "23514")) {
    rc = HZ_EINVAL;
    check_column(PQresultErrorField(res, PG_DIAG_TABLE_NAME), PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME),
                 column, sizeof column);
  } else if (!strcmp(state, "23503")) {
    rc = HZ_EINVAL;
    /* "Key (unit_id)=(9) is not present in table …" names the column; a row still
     * referenced from elsewhere names none (as on SQLite) */
    const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    if (detail && strstr(detail, "is not present")) key_column(detail, column, sizeof column);
  } else if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) {
    rc = HZ_EINVAL; /* other integrity rules, and values of the wrong type or size */
  } else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
             !strcmp(state, "57014")) {
    rc = HZ_EBUSY;
  }
  if (rc == HZ_EDB || rc == HZ_EBUSY) log_error("database: %s%s%s", state, *state ? " " : "", msg);
  /* The server's disk or the connection, not the request: 503, and the transaction is
   * gone whole (a lost connection is made again before the next request). */
  if (!strcmp(state, "53100"))
    return hz_fail(e, HZ_EBUSY, NULL, "数据库服务器磁盘已满，本次写入未保存；请管理员释放磁盘空间后重试");
  if (!strncmp(state, "53", 2))
    return hz_fail(e, HZ_EBUSY, NULL, "数据库服务器资源不足（%s），本次写入未保存；请稍后重试", state);
  if (!strcmp(state, "58030"))
    return hz_fail(e, HZ_EBUSY, NULL, "数据库服务器读写出错（I/O 错误），本次写入未保存；请管理员检查磁盘后重试");
  if (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3) || PQstatus(pc->c) != CONNECTION_OK)
    return hz_fail(e, HZ_EBUSY, NULL, "与数据库服务器的连接已断开，本次写入未保存；请稍后重试");
  const char *field = column[0] ? column : NULL;
  if (rc == HZ_ECONFLICT) return hz_fail(e, rc, field, "记录重复：%s", msg);
  if (rc == HZ_EINVAL) return hz_fail(e, rc, field, "数据不符合约束：%s", msg);
  if (rc == HZ_EBUSY) return hz_fail(e, rc, NULL, "数据库繁忙，请稍后重试");
  return hz_fail(e, rc, NULL, "数据库错误");
}

/* Rows changed, from an INSERT, UPDATE or DELETE (also with RETURNING) only: like
 * sqlite3_changes, a SELECT, SAVEPOINT or COMMIT leaves the count as it was. */
static void note_changes(PgConn *pc, const PGresult *res) {
  const char *cmd = PQcmdStatus((PGresult *)res);
  if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
    pc->changes = atoi(PQcmdTuples((PGresult *)res));
}

/* A broken connection is made again between transactions (the server restarted, a
 * load balancer dropped it); its prepared statements are then gone. */
static void pg_revive(Db *db) {
  PgConn *pc = PC(db);
  if (PQstatus(pc->c) == CONNECTION_OK || db->depth > 0) return;
  log_error("database connection lost: reconnecting");
  PQreset(pc->c);
  pc->gen++;
}

/* Runs sql (several statements allowed, no parameters). */
static int pg_exec(Db *db, const char *sql, HzErr *e) {
  PgConn *pc = PC(db);
  pg_revive(db);
  PGresult *res = PQexec(pc->c, sql);
  ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    int rc = pg_fail(pc, res, e);
    PQclear(res);
    return rc;
  }
  note_changes(pc, res);
  PQclear(res);
  return HZ_OK;
}

static void pg_quiet(void *arg, const char *message) {
  (void)arg;
  (void)message; /* NOTICEs ("relation … already exists, skipping") are not for users */
}

static int pg_open(Db *db, const char *target, int create, HzErr *e) {
  (void)create; /* the database itself is made by its administrator (docs/scaling.md) */
  PgConn *pc = calloc(1, sizeof *pc);
  if (!pc) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  pc->c = PQconnectdb(target);
  db->h = pc;
  char shown[512];
  db_target_display(target, shown, sizeof shown);
  if (!pc->c || PQstatus(pc->c) != CONNECTION_OK) {
    const char *why = pc->c ? PQerrorMessage(pc->c) : "out of memory";
    hz_fail(e, HZ_EIO, "db", "无法连接数据库 %s：%.*s", shown, (int)strcspn(why, "\n"), why);
    PQfinish(pc->c);
    free(pc);
    db->h = NULL;
    return HZ_EIO;
  }
  PQsetNoticeProcessor(pc->c, pg_quiet, NULL);
  /* READ COMMITTED whatever the server's default (see the top of this file); commits wait
   * for the disk (synchronous_commit may have been turned off for the database). */
  int rc = pg_exec(db,
                   "SET default_transaction_isolation = 'read committed'; SET synchronous_commit = on;"
                   " SET client_min_messages = warning",
                   e);
  if (rc) {
    PQfinish(pc->c);
    free(pc);
    db->h = NULL;
  }
  return rc;
}

static void pg_before_close(Db *db) { PC(db)->closing = 1; }

static void pg_close(Db *db) {
  PgConn *pc = PC(db);
  if (!pc) return;
  json_decref(pc->fkeys);
  PQfinish(pc->c);
  free(pc);
}

/* ---- statements ---- */

/* sql with each '?' or '?N' outside quotes and comments as $1, $2 … ($N); *nparams the
 * largest number. NULL when out of memory. */
static char *rewrite_placeholders(const char *sql, int *nparams) {
  size_t n = strlen(sql);
  char *out = malloc(n * 5 + 1); /* "?" -> "$NNNN" at most */
  if (!out) return NULL;
  size_t j = 0;
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      /* a quoted string or identifier, whose quote doubles inside; E'…' escapes with \ */
      int backslash = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e');
      out[j++] = sql[i++];
      while (i < n) {
        if (backslash && sql[i] == '\\' && i + 1 < n) {
          out[j++] = sql[i++];
          out[j++] = sql[i++];
          continue;
        }
        if (sql[i] == c) {
          if (i + 1 < n && sql[i + 1] == c) {
            out[j++] = sql[i++];
            out[j++] = sql[i++];
            continue;
          }
          break;
        }
        out[j++] = sql[i++];
      }
      if (i < n) out[j++] = sql[i];
      continue;
    }
    if (c == '-' && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') out[j++] = sql[i++];
      if (i < n) out[j++] = sql[i];
      continue;
    }
    if (c == '/' && sql[i + 1] == '*') {
      const char *end = strstr(sql + i + 2, "*/");
      size_t stop = end ? (size_t)(end - sql) + 2 : n;
      while (i < stop) out[j++] = sql[i++];
      i--;
      continue;
    }
    if (c == '?') {
      /* ?NNN is parameter NNN; a plain ? the one after the largest so far (SQLite's rule) */
      int num = 0;
      while (isdigit((unsigned char)sql[i + 1]) && num < 1000) num = num * 10 + (sql[++i] - '0');
      if (!num) num = count + 1;
      if (num > count) count = num;
      j += (size_t)snprintf(out + j, 6, "$%d", num);
      continue;
    }
    out[j++] = c;
  }
  out[j] = 0;
  *nparams = count;
  return out;
}

/* Closes the statement's cursor. Through a DO block that ignores a cursor already gone (a
 * rollback drops one opened in its transaction), so the transaction around goes on. */
static void close_cursor(PgStmt *s) {
  if (!s->cursor_open) return;
  s->cursor_open = 0;
  if (s->pc->closing || PQtransactionStatus(s->pc->c) == PQTRANS_INERROR) return;
  char sql[160];
  snprintf(sql, sizeof sql,
           "DO $$ BEGIN EXECUTE 'CLOSE %s_c'; EXCEPTION WHEN invalid_cursor_name THEN NULL; END $$", s->name);
  PQclear(PQexec(s->pc->c, sql));
}

static void free_result(PgStmt *s) {
  close_cursor(s);
  PQclear(s->res);
  s->res = NULL;
  s->row = -1;
  s->done = 0;
  for (int i = 0; i < s->nblobs; i++) PQfreemem(s->blobs[i]);
  free(s->blobs);
  free(s->blob_lens);
  s->blobs = NULL;
  s->blob_lens = NULL;
  s->nblobs = 0;
}

static DbStmt *pg_prepare_new(Db *db, const char *sql, HzErr *e) {
  PgStmt *s = calloc(1, sizeof *s);
  if (!s) goto oom;
  s->base.eng = &db_engine_pg;
  s->pc = PC(db);
  s->row = -1;
  s->sql = rewrite_placeholders(sql, &s->nparams);
  if (!s->sql) goto oom;
  if (s->nparams > 9999) { /* "$NNNN": what rewrite_placeholders has room for */
    free(s->sql);
    free(s);
    hz_fail(e, HZ_EDB, NULL, "数据库错误：参数过多");
    return NULL;
  }
  int np = s->nparams ? s->nparams : 1;
  s->vals = calloc((size_t)np, sizeof *s->vals);
  s->lens = calloc((size_t)np, sizeof *s->lens);
  s->fmts = calloc((size_t)np, sizeof *s->fmts);
  s->kinds = calloc((size_t)np, 1);
  if (!s->vals || !s->lens || !s->fmts || !s->kinds) goto oom;
  snprintf(s->name, sizeof s->name, "hz%u", ++s->pc->seq);
  return &s->base;
oom:
  if (s) {
    free(s->sql);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s->kinds);
    free(s);
  }
  hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  return NULL;
}

static void pg_clear_bindings(DbStmt *st) {
  PgStmt *s = P(st);
  for (int i = 0; i < s->nparams; i++) {
    free(s->vals[i]);
    s->vals[i] = NULL;
    s->lens[i] = s->fmts[i] = 0;
    s->kinds[i] = P_NULL;
  }
}

static void pg_finalize(DbStmt *st) {
  PgStmt *s = P(st);
  free_result(s);
  /* a statement evicted from the cache goes from the server too (not at close, nor in a
   * transaction that can only roll back) */
  if (s->prepared && s->gen == s->pc->gen && !s->pc->closing &&
      PQtransactionStatus(s->pc->c) != PQTRANS_INERROR) {
    char sql[48];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    PQclear(PQexec(s->pc->c, sql));
  }
  pg_clear_bindings(st);
  free(s->sql);
  free(s->vals);
  free(s->lens);
  free(s->fmts);
  free(s->kinds);
  free(s);
}

static void pg_reset(DbStmt *st) { free_result(P(st)); }

/* Parameter i (1-based) set to a copy of p[0..n); kind says how it is sent. */
static void bind_set(PgStmt *s, int i, int kind, const void *p, size_t n) {
  if (i < 1 || i > s->nparams) return;
  i--;
  free(s->vals[i]);
  s->vals[i] = NULL;
  s->kinds[i] = (unsigned char)kind;
  s->lens[i] = 0;
  s->fmts[i] = kind == P_BLOB;
  if (kind == P_NULL) return;
  s->vals[i] = malloc(n + 1);
  if (!s->vals[i]) {
    s->kinds[i] = P_NULL; /* out of memory: NULL, which a NOT NULL column refuses */
    return;
  }
  if (n) memcpy(s->vals[i], p, n);
  s->vals[i][n] = 0;
  s->lens[i] = (int)n;
}

static void pg_bind_int(DbStmt *st, int i, int64_t v) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
  bind_set(P(st), i, P_INT, buf, (size_t)n);
}
static void pg_bind_text(DbStmt *st, int i, const char *t) { bind_set(P(st), i, P_TEXT, t, strlen(t)); }
static void pg_bind_blob(DbStmt *st, int i, const void *p, size_t n) { bind_set(P(st), i, P_BLOB, p, n); }
static void pg_bind_null(DbStmt *st, int i) { bind_set(P(st), i, P_NULL, NULL, 0); }

/* PQprepare with the given parameter types (0: the server infers it from the SQL). */
static PGresult *prepare_as(PgStmt *s, const Oid *types) {
  return PQprepare(s->pc->c, s->name, s->sql, s->nparams, types);
}

static int is_state(const PGresult *res, const char *state) {
  const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  return s && !strcmp(s, state);
}

/* The parameter nearest the error's position in s->sql (1-based; 0 when none is near):
 * for "operator does not exist: bigint = text" it is the operand of that operator. */
static int param_near(PgStmt *s, const PGresult *res) {
  const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
  if (!pos) return 0;
  long at = strtol(pos, NULL, 10) - 1; /* in characters; the SQL of store/ is ASCII */
  long len = (long)strlen(s->sql), best = -1, best_d = 1L << 30;
  for (long i = 0; i < len; i++) {
    if (s->sql[i] != '$' || !isdigit((unsigned char)s->sql[i + 1])) continue;
    long d = i > at ? i - at : at - i;
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  return best < 0 || best_d > 64 ? 0 : atoi(s->sql + best + 1);
}

/* Prepares s on the server. SQLite takes any value anywhere; PostgreSQL must know each
 * parameter's type. First the server infers them all from the SQL (blobs are bytea).
 * Where the SQL does not tell ("? IS NULL OR x = ?"), it refuses (42P18, 42P08): then
 * integers are bigint and text and NULLs text; where that meets a column of another type
 * ("bigint = text", 42883/42804, at a position), the parameter there becomes bigint (or
 * text), one at a time. In a transaction each attempt runs in a savepoint, so that a
 * refusal does not leave the transaction able only to roll back. */
static int prepare_on_server(Db *db, PgStmt *s, HzErr *e) {
  PgConn *pc = s->pc;
  int in_tx = PQtransactionStatus(pc->c) == PQTRANS_INTRANS;
  Oid *types = calloc((size_t)(s->nparams ? s->nparams : 1), sizeof *types);
  if (!types) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  for (int i = 0; i < s->nparams; i++) types[i] = s->kinds[i] == P_BLOB ? OID_BYTEA : 0;
  if (in_tx) PQclear(PQexec(pc->c, "SAVEPOINT hz_prepare"));
  PGresult *res = prepare_as(s, types);
  if (PQresultStatus(res) != PGRES_COMMAND_OK && (is_state(res, "42P18") || is_state(res, "42P08"))) {
    for (int i = 0; i < s->nparams; i++)
      if (s->kinds[i] != P_BLOB) types[i] = s->kinds[i] == P_INT ? OID_INT8 : OID_TEXT;
    for (int attempt = 0; attempt <= s->nparams; attempt++) {
      PQclear(res);
      if (in_tx) PQclear(PQexec(pc->c, "ROLLBACK TO SAVEPOINT hz_prepare"));
      res = prepare_as(s, types);
      if (PQresultStatus(res) == PGRES_COMMAND_OK || !(is_state(res, "42883") || is_state(res, "42804"))) break;
      int p = param_near(s, res);
      if (!p || s->kinds[p - 1] == P_BLOB) break;
      types[p - 1] = types[p - 1] == OID_TEXT ? OID_INT8 : OID_TEXT;
    }
  }
  int rc = HZ_OK;
  if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
    const char *why = res ? PQresultErrorMessage(res) : PQerrorMessage(pc->c);
    log_error("prepare failed: %.*s -- %s", (int)strcspn(why, "\n"), why, s->sql);
    rc = pg_fail(pc, res, e);
    if (in_tx) PQclear(PQexec(pc->c, "ROLLBACK TO SAVEPOINT hz_prepare"));
  }
  if (in_tx) PQclear(PQexec(pc->c, "RELEASE SAVEPOINT hz_prepare"));
  PQclear(res);
  free(types);
  (void)db;
  if (!rc) {
    s->prepared = 1;
    s->gen = pc->gen;
  }
  return rc;
}

/* The next chunk of the cursor's rows into s->res. */
static int fetch_chunk(PgStmt *s, HzErr *e) {
  char sql[64];
  snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s_c", DB_CHUNK_ROWS, s->name);
  PGresult *res = PQexec(s->pc->c, sql);
  if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
    int rc = pg_fail(s->pc, res, e);
    PQclear(res);
    return rc;
  }
  PQclear(s->res);
  s->res = res;
  s->row = -1;
  return HZ_OK;
}

/* A chunked statement's run: its query declared as a cursor, and the first chunk. */
static int open_cursor(PgStmt *s, HzErr *e) {
  size_t n = strlen(s->sql) + 80;
  char *sql = malloc(n);
  if (!sql) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  snprintf(sql, n, "DECLARE %s_c NO SCROLL CURSOR WITH HOLD FOR %s", s->name, s->sql);
  PGresult *res = PQexecParams(s->pc->c, sql, s->nparams, NULL, (const char *const *)s->vals, s->lens, s->fmts, 0);
  free(sql);
  int rc = HZ_OK;
  if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) rc = pg_fail(s->pc, res, e);
  PQclear(res);
  if (rc) return rc;
  s->cursor_open = 1;
  return fetch_chunk(s, e);
}

static int run_statement(Db *db, PgStmt *s, HzErr *e) {
  PgConn *pc = s->pc;
  free_result(s);
  pg_revive(db);
  if (s->chunked) return open_cursor(s, e);
  if (!s->prepared || s->gen != pc->gen) {
    int rc = prepare_on_server(db, s, e);
    if (rc) return rc;
  }
  PGresult *res = PQexecPrepared(pc->c, s->name, s->nparams, (const char *const *)s->vals, s->lens, s->fmts, 0);
  ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    int rc = pg_fail(pc, res, e);
    PQclear(res);
    return rc;
  }
  note_changes(pc, res);
  s->res = res;
  s->row = -1;
  return HZ_OK;
}

static int pg_step(Db *db, DbStmt *st, HzErr *e) {
  PgStmt *s = P(st);
  if (!s->res || s->done) {
    int rc = run_statement(db, s, e);
    if (rc) return -rc;
  }
  for (int i = 0; i < s->nblobs; i++) {
    PQfreemem(s->blobs[i]);
    s->blobs[i] = NULL;
  }
  s->row++;
  if (s->row < PQntuples(s->res)) return DB_ROW;
  if (s->cursor_open && PQntuples(s->res) == DB_CHUNK_ROWS) { /* a full chunk: there may be more */
    int rc = fetch_chunk(s, e);
    if (rc) return -rc;
    s->row = 0;
    if (PQntuples(s->res) > 0) return DB_ROW;
  }
  /* The result goes now, not at the next run: a kept statement would otherwise hold its
   * last rows (a job's read of every unit: tens of MB) for as long as the process lives. */
  free_result(s);
  s->done = 1;
  return DB_DONE;
}

static void pg_chunked(DbStmt *st) { P(st)->chunked = 1; }

static int valid_cell(PgStmt *s, int col) {
  return s->res && s->row >= 0 && s->row < PQntuples(s->res) && col >= 0 && col < PQnfields(s->res);
}

static int64_t pg_col_int(DbStmt *st, int col) {
  PgStmt *s = P(st);
  if (!valid_cell(s, col) || PQgetisnull(s->res, s->row, col)) return 0;
  const char *v = PQgetvalue(s->res, s->row, col);
  if (v[0] == 't' && !v[1]) return 1; /* a boolean, as SQLite's 1 and 0 */
  if (v[0] == 'f' && !v[1]) return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  /* a numeric or a float ("2.5", "1e+06"): its whole part, as SQLite casts a REAL */
  if (*end == '.' || *end == 'e' || *end == 'E') return (int64_t)strtod(v, NULL);
  return n;
}

static const char *pg_col_text(DbStmt *st, int col) {
  PgStmt *s = P(st);
  if (!valid_cell(s, col) || PQgetisnull(s->res, s->row, col)) return NULL;
  return PQgetvalue(s->res, s->row, col);
}

static int pg_col_is_null(DbStmt *st, int col) {
  PgStmt *s = P(st);
  return !valid_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

static const void *pg_col_blob(DbStmt *st, int col, size_t *n) {
  PgStmt *s = P(st);
  *n = 0;
  if (!valid_cell(s, col) || PQgetisnull(s->res, s->row, col)) return NULL;
  const char *v = PQgetvalue(s->res, s->row, col);
  if (PQftype(s->res, col) != OID_BYTEA) {
    *n = (size_t)PQgetlength(s->res, s->row, col);
    return v;
  }
  if (!s->blobs) {
    int nf = PQnfields(s->res);
    s->blobs = calloc((size_t)nf, sizeof *s->blobs);
    s->blob_lens = calloc((size_t)nf, sizeof *s->blob_lens);
    if (!s->blobs || !s->blob_lens) {
      free(s->blobs);
      free(s->blob_lens);
      s->blobs = NULL;
      s->blob_lens = NULL;
      return NULL;
    }
    s->nblobs = nf;
  }
  if (!s->blobs[col]) s->blobs[col] = PQunescapeBytea((const unsigned char *)v, &s->blob_lens[col]);
  *n = s->blobs[col] ? s->blob_lens[col] : 0;
  return s->blobs[col];
}

static int pg_changes(Db *db) { return PC(db)->changes; }
static int pg_tx_state(Db *db) {
  PGTransactionStatusType s = PQtransactionStatus(PC(db)->c);
  return s == PQTRANS_INTRANS ? DB_TX_OK : s == PQTRANS_INERROR ? DB_TX_FAILED : DB_TX_NONE;
}

static int pg_begin(Db *db, HzErr *e) {
  char sql[96];
  snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%lld)", DB_PG_WRITE_LOCK);
  int rc = pg_exec(db, sql, e);
  if (rc && PQtransactionStatus(PC(db)->c) != PQTRANS_IDLE) PQclear(PQexec(PC(db)->c, "ROLLBACK"));
  return rc;
}

/* ---- migrations ---- */

/* The schema version lives in hz_schema_version (one row), made by the first migration
 * run under the migration lock; a database without it is at version 0. */
static int pg_schema_version(Db *db) {
  int64_t v = 0, exists = 0;
  if (db_query_int(db, "SELECT to_regclass('hz_schema_version') IS NOT NULL", &exists, NULL) || !exists) return 0;
  db_query_int(db, "SELECT version FROM hz_schema_version", &v, NULL);
  return (int)v;
}

static int pg_set_schema_version(Db *db, int n, HzErr *e) {
  char sql[80];
  snprintf(sql, sizeof sql, "UPDATE hz_schema_version SET version = %d", n);
  return pg_exec(db, sql, e);
}

/* Two instances starting together: the second waits here until the first has migrated,
 * then finds the schema up to date. A session lock, released by migrate_unlock. */
static int pg_migrate_lock(Db *db, HzErr *e) {
  char sql[320];
  snprintf(sql, sizeof sql,
           "SELECT pg_advisory_lock(%lld);"
           " CREATE TABLE IF NOT EXISTS hz_schema_version (version INTEGER NOT NULL);"
           " INSERT INTO hz_schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM hz_schema_version)",
           DB_PG_MIGRATE_LOCK);
  int rc = pg_exec(db, sql, e);
  if (rc) {
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%lld)", DB_PG_MIGRATE_LOCK);
    PQclear(PQexec(PC(db)->c, sql));
  }
  return rc;
}

static void pg_migrate_unlock(Db *db) {
  char sql[64];
  snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%lld)", DB_PG_MIGRATE_LOCK);
  PQclear(PQexec(PC(db)->c, sql));
}

/* ---- maintenance ---- */

static int pg_backup_to(Db *db, const char *path, HzErr *e) {
  (void)db;
  (void)path;
  return hz_fail(e, HZ_EINVAL, "db", "PostgreSQL 数据库请用 pg_dump 备份（见 docs/operations.md）");
}

/* PostgreSQL checks keys and constraints on every write; what can still be wrong is a
 * constraint added NOT VALID and never validated, or an index a failed CREATE INDEX
 * CONCURRENTLY left invalid. Pages are checked by pg_amcheck (docs/scaling.md). */
static int pg_integrity_check(Db *db, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT conrelid::regclass::text || ' ' || conname FROM pg_constraint"
                          " WHERE NOT convalidated AND connamespace = current_schema()::regnamespace"
                          " UNION ALL SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                          " WHERE NOT i.indisvalid AND c.relnamespace = current_schema()::regnamespace",
                          e);
  if (!st) return e ? e->rc : HZ_EDB;
  int r = db_step(db, st, e);
  int rc = HZ_OK;
  if (r == DB_ROW) rc = hz_fail(e, HZ_EIO, NULL, "完整性检查失败：%s 未生效", db_col_text(st, 0));
  else if (r < 0) rc = -r;
  db_reset(st);
  return rc;
}

/* Identifiers from the catalogue, put into DDL: the migrations' own names only. */
static int plain_name(const char *s) { return s && *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s); }

/* Drops every foreign key of the schema, appending [table, name, definition] of each to
 * keys; keys_add makes them again, which checks every row once. */
static int keys_drop(Db *db, json_t *keys, HzErr *e) {
  DbStmt *st = db_prepare(db,
                          "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                          " WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2",
                          e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(keys, json_pack("[s s s]", db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2)));
  db_reset(st);
  if (r < 0) return -r;
  size_t i;
  json_t *k;
  json_array_foreach(keys, i, k) {
    const char *table = json_string_value(json_array_get(k, 0)), *name = json_string_value(json_array_get(k, 1));
    if (!plain_name(table) || !plain_name(name)) return hz_fail(e, HZ_EINVAL, NULL, "unexpected key %s.%s", table, name);
    char sql[256];
    snprintf(sql, sizeof sql, "ALTER TABLE %s DROP CONSTRAINT %s", table, name);
    int rc = pg_exec(db, sql, e);
    if (rc) return rc;
  }
  return HZ_OK;
}

static int keys_add(Db *db, json_t *keys, HzErr *e) {
  size_t i;
  json_t *k;
  json_array_foreach(keys, i, k) {
    char sql[1024];
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD CONSTRAINT %s %s", json_string_value(json_array_get(k, 0)),
             json_string_value(json_array_get(k, 1)), json_string_value(json_array_get(k, 2)));
    int rc = pg_exec(db, sql, e);
    if (rc) return rc;
  }
  return HZ_OK;
}

/* Loading (gen): commits do not wait for the disk, and foreign keys are not checked row by
 * row (the loader writes parents after children). Switching their triggers off needs a
 * superuser, which huizhan's role is not: the owner drops the keys instead, and
 * pg_bulk_end adds them again, which checks every row once. */
static int pg_bulk_begin(Db *db, HzErr *e) {
  PgConn *pc = PC(db);
  int rc = pg_exec(db, "SET synchronous_commit = off", e);
  if (rc) return rc;
  json_decref(pc->fkeys);
  pc->fkeys = json_array();
  return keys_drop(db, pc->fkeys, e);
}

static int pg_bulk_end(Db *db, HzErr *e) {
  PgConn *pc = PC(db);
  int rc = keys_add(db, pc->fkeys, e);
  json_decref(pc->fkeys);
  pc->fkeys = NULL;
  return rc ? rc : pg_exec(db, "SET synchronous_commit = on", e);
}
static int pg_relax_durability(Db *db, int relaxed, HzErr *e) {
  return pg_exec(db, relaxed ? "SET synchronous_commit = off" : "SET synchronous_commit = on", e);
}



/* A query answers or the connection is made again first (pg_revive); a database that
 * still does not answer is "unreachable", so a load balancer takes this instance out. */
static int pg_ping(Db *db, HzErr *e) {
  int rc = pg_exec(db, "SELECT 1", NULL);
  if (!rc) return HZ_OK;
  char shown[512];
  db_target_display(db->path, shown, sizeof shown);
  return hz_fail(e, HZ_EBUSY, "db", "数据库 %s 无法访问", shown);
}

/* The first column of sql's rows as an array of strings (*out freed by the caller, also
 * when the call failed). */
static int catalogue_names(Db *db, const char *sql, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*out, json_string(db_col_text(st, 0)));
  return r < 0 ? -r : HZ_OK;
}

/* Rows arrive table by table while foreign keys form cycles (units and users name each
 * other): the foreign keys are dropped for the copy and added back at its end, which checks
 * every row against them. The secondary indexes are dropped too and built once from all
 * the rows (as gen does), and every table is emptied by TRUNCATE, which lets COPY load it
 * frozen (pg_append_rows): no later pass of VACUUM has to visit every page to mark its
 * rows visible. All inside the copy's transaction, so a failed copy leaves the target as
 * its migrations made it. *saved: {"keys": [[table, name, definition] …], "indexes": …}. */
static int pg_copy_prepare(Db *to, json_t **saved, HzErr *e) {
  json_t *keys = json_array(), *indexes = NULL, *tables = NULL;
  *saved = json_pack("{s:o}", "keys", keys);
  /* the index builds at the end sort whole tables: more memory than a request needs */
  int rc = pg_exec(to, "SET LOCAL maintenance_work_mem = '256MB'", e);
  if (!rc) rc = keys_drop(to, keys, e);
  if (rc) return rc;
  size_t i;
  rc = db_indexes_drop(to, &indexes, e);
  json_object_set_new(*saved, "indexes", indexes);
  if (!rc) rc = catalogue_names(to, db_engine_pg.tables_sql, &tables, e);
  if (!rc && json_array_size(tables)) {
    Buf sql;
    buf_init(&sql, 0);
    json_t *t;
    rc = buf_puts(&sql, "TRUNCATE");
    json_array_foreach(tables, i, t) {
      if (!rc && !plain_name(json_string_value(t)))
        rc = hz_fail(e, HZ_EINVAL, NULL, "unexpected table %s", json_string_value(t));
      if (!rc) rc = buf_printf(&sql, "%s %s", i ? "," : "", json_string_value(t));
    }
    if (rc == HZ_ENOMEM) hz_fail(e, rc, NULL, "内存不足");
    if (!rc) rc = pg_exec(to, sql.data, e);
    buf_free(&sql);
  }
  json_decref(tables);
  return rc;
}

static int pg_copy_finish(Db *to, json_t *saved, HzErr *e) {
  size_t i;
  int rc = db_indexes_create(to, json_object_get(saved, "indexes"), e);
  if (!rc) rc = keys_add(to, json_object_get(saved, "keys"), e);
  if (rc) return rc;
  /* Ids were copied as they were: each identity goes on after the largest. */
  json_t *tables = NULL, *t;
  rc = catalogue_names(to,
                       "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()"
                       " AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name",
                       &tables, e);
  json_array_foreach(tables, i, t) {
    if (rc) break;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), COALESCE((SELECT MAX(id) FROM \"%s\"), 0) + 1, false)",
             json_string_value(t), json_string_value(t));
    rc = pg_exec(to, sql, e);
  }
  json_decref(tables);
  return rc;
}

/* ---- COPY: db_copy's rows in bulk ---- */

/* Rows on their way to the server, sent a buffer at a time (COPY's messages need not end
 * where rows end). */
typedef struct {
  PGconn *c;
  char *p;
  size_t len, cap;
} CopyOut;

#define COPY_BUFFER (256 * 1024)

static int copy_send(CopyOut *o) {
  if (o->len && PQputCopyData(o->c, o->p, (int)o->len) != 1) return HZ_EDB;
  o->len = 0;
  return HZ_OK;
}

/* Room for n more bytes: a full buffer goes to the server first, and a field larger than
 * the buffer (an attachment) grows it. */
static int copy_room(CopyOut *o, size_t n) {
  if (o->len + n <= o->cap) return HZ_OK;
  if (copy_send(o)) return HZ_EDB;
  if (n <= o->cap) return HZ_OK;
  char *p = realloc(o->p, n);
  if (!p) return HZ_ENOMEM;
  o->p = p;
  o->cap = n;
  return HZ_OK;
}

/* One field of rd's row in COPY's text format: NULL is \N; in text, backslash, tab,
 * newline and carriage return are escaped with a backslash (so a text "\N" arrives as
 * those two characters) and every other byte goes as it is; bytes go in bytea's hex input
 * form, whose own backslash is escaped in turn (\\x00ff…). */
static int copy_field(CopyOut *o, DbStmt *rd, int col, int blob) {
  static const char hex[] = "0123456789abcdef";
  int rc;
  if (db_col_is_null(rd, col)) {
    if ((rc = copy_room(o, 2))) return rc;
    memcpy(o->p + o->len, "\\N", 2);
    o->len += 2;
    return HZ_OK;
  }
  if (blob) {
    size_t n = 0;
    const unsigned char *b = db_col_blob(rd, col, &n);
    if ((rc = copy_room(o, 3 + 2 * n))) return rc;
    char *w = o->p + o->len;
    memcpy(w, "\\\\x", 3);
    w += 3;
    for (size_t i = 0; i < n; i++) {
      *w++ = hex[b[i] >> 4];
      *w++ = hex[b[i] & 15];
    }
    o->len = (size_t)(w - o->p);
    return HZ_OK;
  }
  const char *s = db_col_text(rd, col);
  size_t n = s ? strlen(s) : 0;
  if ((rc = copy_room(o, 2 * n))) return rc;
  char *w = o->p + o->len;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    switch (c) {
    case '\\': *w++ = '\\', *w++ = '\\'; break;
    case '\t': *w++ = '\\', *w++ = 't'; break;
    case '\n': *w++ = '\\', *w++ = 'n'; break;
    case '\r': *w++ = '\\', *w++ = 'r'; break;
    default: *w++ = c;
    }
  }
  o->len = (size_t)(w - o->p);
  return HZ_OK;
}

/* db_copy's rows by COPY … FROM STDIN in text format (one statement per table, no
 * parameters to bind per row: several times faster than INSERTs of bound rows). FREEZE:
 * pg_copy_prepare emptied the table by TRUNCATE in this transaction, so the rows can be
 * written frozen; nobody else can see them before the commit anyway. */
static int pg_append_rows(Db *to, const char *table, const char *columns, Db *from, DbStmt *rd, const int *blob,
                          size_t n, int64_t *copied, HzErr *e) {
  PgConn *pc = PC(to);
  Buf sql;
  buf_init(&sql, 0);
  if (buf_printf(&sql, "COPY %s (%s) FROM STDIN WITH (FREEZE)", table, columns))
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  PGresult *res = PQexec(pc->c, sql.data);
  buf_free(&sql);
  if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
    int rc = pg_fail(pc, res, e);
    PQclear(res);
    return rc;
  }
  PQclear(res);
  CopyOut o = {.c = pc->c, .p = malloc(COPY_BUFFER), .cap = COPY_BUFFER};
  int rc = o.p ? HZ_OK : HZ_ENOMEM, r = DB_DONE;
  while (!rc && (r = db_step(from, rd, e)) == DB_ROW) {
    for (size_t i = 0; !rc && i < n; i++) {
      if (i && !(rc = copy_room(&o, 1))) o.p[o.len++] = '\t';
      if (!rc) rc = copy_field(&o, rd, (int)i, blob[i]);
    }
    if (!rc && !(rc = copy_room(&o, 1))) o.p[o.len++] = '\n';
  }
  if (!rc) rc = copy_send(&o);
  free(o.p);
  /* HZ_EDB: the connection refused data, and the server's answer below says why */
  if (rc == HZ_ENOMEM) hz_fail(e, rc, NULL, "内存不足");
  else if (!rc && r < 0) rc = -r; /* the source's error, in e */
  int told = rc && rc != HZ_EDB;
  /* A COPY cut short ends with an error message, which makes the server drop its rows. */
  if (PQputCopyEnd(pc->c, rc ? "huizhan: copy abandoned" : NULL) != 1 && !rc) rc = HZ_EDB;
  while ((res = PQgetResult(pc->c))) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK) *copied = strtoll(PQcmdTuples(res), NULL, 10);
    else if (!told) rc = pg_fail(pc, res, e), told = 1;
    PQclear(res);
    if (st == PGRES_COPY_IN) break; /* the end could not be sent: the connection is gone */
  }
  if (rc && !told) rc = pg_fail(pc, NULL, e);
  return rc;
}

const DbEngine db_engine_pg = {
    .name = "postgresql",
    .open = pg_open,
    .before_close = pg_before_close,
    .close = pg_close,
    .prepare_new = pg_prepare_new,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .col_blob = pg_col_blob,
    .exec = pg_exec,
    .changes = pg_changes,
    .tx_state = pg_tx_state,
    .count_tables_sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    .begin = pg_begin,
    .migrations = hz_embedded_pg_migrations,
    .schema_version = pg_schema_version,
    .set_schema_version = pg_set_schema_version,
    .migrate_lock = pg_migrate_lock,
    .migrate_unlock = pg_migrate_unlock,
    .backup_to = pg_backup_to,
    .integrity_check = pg_integrity_check,
    .bulk_begin = pg_bulk_begin,
    .bulk_end = pg_bulk_end,
    /* Indexes of the schema that no constraint (PRIMARY KEY, UNIQUE, EXCLUDE) owns. */
    .indexes_sql = "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                   " WHERE c.relnamespace = current_schema()::regnamespace"
                   " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
                   " AND c.relname <> 'hz_schema_version' ORDER BY 1",
    .after_indexes_sql = "ANALYZE", /* fresh statistics for the planner after a load */
    .relax_durability = pg_relax_durability,
    .ping = pg_ping,
    .chunked = pg_chunked,
    .tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                  " AND table_type = 'BASE TABLE' AND table_name <> 'hz_schema_version' ORDER BY table_name",
    .columns_sql = "SELECT column_name, CASE WHEN data_type = 'bytea' THEN '1' ELSE '0' END FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
    .copy_prepare = pg_copy_prepare,
    .copy_finish = pg_copy_finish,
    .append_rows = pg_append_rows,
};
