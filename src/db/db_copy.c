/* db_copy: every row of one database into another of the same schema (huizhan migrate).
 * Engine-neutral: each engine says how to list its tables and columns and how to set its
 * constraints aside while rows arrive in table order (db_impl.h). */
#include "db/db_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "name" with inner quotes doubled: catalogue names are ours, but quoted all the same. */
static void quote_ident(char *out, size_t n, const char *name) {
  size_t j = 0;
  if (j + 1 < n) out[j++] = '"';
  for (const char *p = name; *p && j + 3 < n; p++) {
    if (*p == '"') out[j++] = '"';
    out[j++] = *p;
  }
  out[j++] = '"';
  out[j] = 0;
}

/* Rows of a one-parameter catalogue query as an array of arrays of strings. */
static int catalogue(Db *db, const char *sql, const char *param, int ncols, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  if (param) db_bind_text(st, 1, param);
  json_t *rows = json_array();
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) {
    json_t *row = json_array();
    for (int c = 0; c < ncols; c++) json_array_append_new(row, json_string(db_col_text(st, c) ? db_col_text(st, c) : ""));
    json_array_append_new(rows, row);
  }
  if (r < 0) {
    json_decref(rows);
    return -r;
  }
  *out = rows;
  return HZ_OK;
}

static int count_rows(Db *db, const char *table, int64_t *n, HzErr *e) {
  char q[160], sql[256];
  quote_ident(q, sizeof q, table);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", q);
  return db_query_int(db, sql, n, e);
}

/* Rows a batch INSERT carries: one statement (one round trip to PostgreSQL) per batch
 * instead of per row, under both engines' parameter limits. */
#define COPY_BATCH_ROWS 256
#define COPY_BATCH_PARAMS 8000

/* Binds the reader's current row to wr's parameters from first + 1 on. */
static void bind_row(DbStmt *rd, DbStmt *wr, const int *blob, size_t n, int first) {
  for (size_t i = 0; i < n; i++) {
    int c = (int)i;
    if (db_col_is_null(rd, c)) db_bind_null(wr, first + c + 1);
    else if (blob[i]) {
      size_t len = 0;
      const void *p = db_col_blob(rd, c, &len);
      db_bind_blob(wr, first + c + 1, p, len);
    } else db_bind_text(wr, first + c + 1, db_col_text(rd, c));
  }
}

/* The rest of rd's rows (n columns) into the table by INSERT, for an engine without a bulk
 * append: whole batches of rows in one INSERT each, the rest (fewer than a batch) one by
 * one. head is "INSERT INTO "t" ("a", "b")"; rows the count expected. */
static int insert_rows(Db *from, Db *to, DbStmt *rd, const char *head, const int *blob, size_t n, int64_t rows,
                       int64_t *copied, HzErr *e) {
  size_t per = n ? COPY_BATCH_PARAMS / n : 1, i;
  if (per > COPY_BATCH_ROWS) per = COPY_BATCH_ROWS;
  if (per < 1) per = 1;
  size_t hl = strlen(head), cap = hl + 16 + n * 3, bcap = hl + 16 + per * (n * 3 + 4);
  char *insert = malloc(cap), *batch = malloc(bcap);
  if (!insert || !batch) {
    free(insert);
    free(batch);
    return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  size_t t = (size_t)snprintf(insert, cap, "%s VALUES (", head);
  for (i = 0; i < n; i++) t += (size_t)snprintf(insert + t, cap - t, "%s?", i ? ", " : "");
  snprintf(insert + t, cap - t, ")");
  /* the batch: the same head, then per groups of n placeholders */
  size_t b = (size_t)snprintf(batch, bcap, "%s VALUES ", head);
  for (size_t g = 0; g < per; g++) {
    b += (size_t)snprintf(batch + b, bcap - b, "%s(", g ? ", " : "");
    for (i = 0; i < n; i++) b += (size_t)snprintf(batch + b, bcap - b, "%s?", i ? ", " : "");
    b += (size_t)snprintf(batch + b, bcap - b, ")");
  }
  int r, rc = HZ_OK;
  DbStmt *wb = NULL; /* the batch being filled */
  size_t k = 0;      /* its rows so far */
  while ((r = db_step(from, rd, e)) == DB_ROW) {
    if (!wb && rows - *copied >= (int64_t)per && per > 1 && !(wb = db_prepare(to, batch, e))) {
      rc = e->rc;
      break;
    }
    if (wb) {
      bind_row(rd, wb, blob, n, (int)(k * n));
      if (++k < per) continue;
      if ((rc = db_run(to, wb, e))) break;
      *copied += (int64_t)k;
      wb = NULL, k = 0;
      continue;
    }
    DbStmt *wr = db_prepare(to, insert, e);
    if (!wr) {
      rc = e->rc;
      break;
    }
    bind_row(rd, wr, blob, n, 0);
    if ((rc = db_run(to, wr, e))) break;
    (*copied)++;
  }
  /* a batch cut short: the source had fewer rows than counted (the row check says so) */
  if (wb) db_reset(wb);
  if (!rc && r < 0) rc = -r;
  free(insert);
  free(batch);
  return rc;
}

/* Copies one table of `rows` rows: the source's columns, each read as text or, for the
 * target's blob columns, as bytes; NULL stays NULL. The target's engine takes them in bulk
 * when it can (append_rows: PostgreSQL's COPY), else by INSERT. */
static int copy_table(Db *from, Db *to, const char *table, int64_t rows, int64_t *copied, HzErr *e) {
  json_t *src = NULL, *dst = NULL;
  char *select = NULL, *head = NULL;
  int *blob = NULL;
  int rc = catalogue(from, from->eng->columns_sql, table, 2, &src, e);
  if (!rc) rc = catalogue(to, to->eng->columns_sql, table, 2, &dst, e);
  if (rc) goto done;
  size_t n = json_array_size(src), i;
  blob = calloc(n + 1, sizeof *blob);
  size_t cap = 256 + n * 140;
  select = malloc(cap);
  head = malloc(cap);
  if (!blob || !select || !head) {
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    goto done;
  }
  char qt[160], q[160];
  quote_ident(qt, sizeof qt, table);
  /* head: INSERT INTO "t" ("a", "b"); the column list starts after its '(' */
  size_t s = (size_t)snprintf(select, cap, "SELECT "), t = (size_t)snprintf(head, cap, "INSERT INTO %s (", qt);
  size_t cols = t;
  for (i = 0; i < n; i++) {
    const char *col = json_string_value(json_array_get(json_array_get(src, i), 0));
    int found = 0;
    for (size_t k = 0; k < json_array_size(dst); k++) {
      json_t *d = json_array_get(dst, k);
      if (!strcmp(json_string_value(json_array_get(d, 0)), col)) {
        found = 1;
        blob[i] = !strcmp(json_string_value(json_array_get(d, 1)), "1");
      }
    }
    if (!found) {
      rc = hz_fail(e, HZ_ECONFLICT, "to", "目标数据库的表 %s 没有列 %s：两边的程序版本不同？", table, col);
      goto done;
    }
    quote_ident(q, sizeof q, col);
    s += (size_t)snprintf(select + s, cap - s, "%s%s", i ? ", " : "", q);
    t += (size_t)snprintf(head + t, cap - t, "%s%s", i ? ", " : "", q);
  }
  if (json_array_size(dst) != n) {
    rc = hz_fail(e, HZ_ECONFLICT, "to", "目标数据库的表 %s 与源数据库的列不同：两边的程序版本不同？", table);
    goto done;
  }
  snprintf(select + s, cap - s, " FROM %s", qt);
  DbStmt *rd = db_prepare(from, select, e);
  if (!rd) {
    rc = e->rc;
    goto done;
  }
  if (to->eng->append_rows) {
    rc = to->eng->append_rows(to, qt, head + cols, from, rd, blob, n, copied, e);
  } else {
    snprintf(head + t, cap - t, ")");
    rc = insert_rows(from, to, rd, head, blob, n, rows, copied, e);
  }
  db_reset(rd);
done:
  free(blob);
  free(select);
  free(head);
  json_decref(src);
  json_decref(dst);
  return rc;
}

int db_copy(Db *from, Db *to, json_t **counts, HzErr *e) {
  json_t *tables = NULL, *target_tables = NULL, *saved = NULL;
  *counts = json_object();
  if (db_schema_version(from) != db_schema_version(to))
    return hz_fail(e, HZ_ECONFLICT, "to", "两个数据库的结构版本不同（%d 与 %d）", db_schema_version(from), db_schema_version(to));
  int rc = catalogue(from, from->eng->tables_sql, NULL, 1, &tables, e);
  if (!rc) rc = catalogue(to, to->eng->tables_sql, NULL, 1, &target_tables, e);
  if (!rc && json_array_size(tables) != json_array_size(target_tables))
    rc = hz_fail(e, HZ_ECONFLICT, "to", "两个数据库的表不同（%zu 与 %zu 张）", json_array_size(tables), json_array_size(target_tables));
  if (!rc) rc = db_begin(to, e);
  if (rc) goto done;
  rc = to->eng->copy_prepare ? to->eng->copy_prepare(to, &saved, e) : HZ_OK;
  size_t i;
  json_t *row;
  json_array_foreach(tables, i, row) {
    if (rc) break;
    const char *table = json_string_value(json_array_get(row, 0));
    int64_t have = 0, copied = 0, want = 0;
    char q[160], sql[200];
    /* What the target's migrations seeded (settings rows, the job list) gives way to the
     * source's own rows. */
    if (!(rc = count_rows(to, table, &have, e)) && have) {
      quote_ident(q, sizeof q, table);
      snprintf(sql, sizeof sql, "DELETE FROM %s", q);
      rc = db_exec(to, sql, e);
    }
    if (!rc) rc = count_rows(from, table, &want, e);
    if (!rc) rc = copy_table(from, to, table, want, &copied, e);
    if (!rc && (rc = count_rows(to, table, &have, e)) == HZ_OK && (have != want || copied != want))
      rc = hz_fail(e, HZ_EDB, NULL, "表 %s 复制后行数不符：源 %lld，目标 %lld", table, (long long)want, (long long)have);
    if (!rc) json_object_set_new(*counts, table, json_integer(copied));
  }
  if (!rc && to->eng->copy_finish) rc = to->eng->copy_finish(to, saved, e);
  if (!rc) rc = db_commit(to, e);
  if (rc) db_rollback(to);
done:
  json_decref(saved);
  json_decref(tables);
  json_decref(target_tables);
  if (rc) {
    json_decref(*counts);
    *counts = NULL;
  }
  return rc;
}
