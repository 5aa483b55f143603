/* huizhan export KIND FILE: a list as XLSX or CSV (domain/exporter.h), as the system sees
 * it (every unit), with the list's parameters given as --FIELD=VALUE. Read only: nothing
 * is audited. The file is written beside FILE under a temporary name and renamed when
 * complete, so FILE is either the whole export or untouched. */
#include "cli/cli.h"
#include "domain/exporter.h"
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The --FIELD=VALUE options as a list query: a name given several times is an array. */
static json_t *query_of(const CliArgs *a) {
  json_t *q = json_object();
  for (int i = 0; i < a->n; i++) {
    const char *k = a->names[i];
    if (!strcmp(k, "db") || !strcmp(k, "format")) continue;
    json_t *v = json_object_get(q, k);
    if (!v) json_object_set_new(q, k, json_string(a->values[i]));
    else if (json_is_array(v)) json_array_append_new(v, json_string(a->values[i]));
    else json_object_set_new(q, k, json_pack("[O s]", v, a->values[i]));
  }
  return q;
}

int cmd_export(const CliArgs *a) {
  HzErr e = {0};
  if (a->npositional != 2) {
    fprintf(stderr, "huizhan: export 需要 KIND 和 FILE（huizhan export --help）\n");
    return 2;
  }
  const char *kind = a->positional[0], *file = a->positional[1], *fmt = cli_opt(a, "format");
  const char *dot = strrchr(file, '.');
  ExportRequest rq = {.kind = kind, .format = exporter_format(fmt ? fmt : dot ? dot + 1 : "")};
  if (!rq.format) {
    hz_fail(&e, HZ_EINVAL, "format",
            fmt ? "--format 应为 xlsx 或 csv" : "无法从文件名判断格式：请用 .xlsx 或 .csv 结尾，或给出 --format xlsx|csv");
    return cli_fail(&e);
  }
  if (!exporter_kind_known(kind)) {
    hz_fail(&e, HZ_EINVAL, "KIND", "没有可导出的“%s”：KIND 应为集合名（如 projects、units、follow-ups）或 ranking", kind);
    return cli_fail(&e);
  }
  Db *db = NULL;
  int rc = cli_open_db(a, 0, &db, &e);
  if (rc) return cli_fail(&e);
  rq.query = query_of(a);
  /* A temporary file in FILE's directory, so the final rename cannot cross file systems. */
  char *copy = strdup(file), tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/.huizhan-export-XXXXXX", copy ? dirname(copy) : ".");
  free(copy);
  int fd = mkstemp(tmp);
  int64_t rows = 0;
  if (fd < 0) rc = hz_fail(&e, HZ_EIO, "FILE", "无法在 %s 所在目录创建文件：%s", file, strerror(errno));
  else {
    /* mkstemp makes it 0600: the export gets the mode any new file of this user gets. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    rc = exporter_write(db, &cli_actor, &rq, tmp, &rows, &e);
    if (!rc && rename(tmp, file)) rc = hz_fail(&e, HZ_EIO, "FILE", "无法写入 %s：%s", file, strerror(errno));
    if (rc) unlink(tmp);
  }
  json_decref(rq.query);
  db_close(db);
  if (rc) return cli_fail(&e);
  printf("已导出 %lld 行到 %s\n", (long long)rows, file);
  return 0;
}
