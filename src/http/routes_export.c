/* Exports of lists (domain/exporter.h) as downloads:
 *   GET /api/v1/{collection}/export.xlsx|.csv
 *   GET /api/v1/{parent}/{id}/{collection}/export.xlsx|.csv   (/campaigns/3/targets/…)
 *   GET /api/v1/campaigns/{id}/ranking/export.xlsx|.csv
 * with the list's own parameters (sort, q, filters; all rows, no paging). libxlsxwriter
 * writes only to a file, so the export goes to a temporary file under the system's
 * temporary directory, which is opened, unlinked at once (nothing is left behind, even if
 * the server dies) and sent from the open file without reading it into memory. */
#include "domain/exporter.h"
#include "http/routes.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The format from the path's last segment: export.xlsx or export.csv. */
static ExportFormat path_format(const char *path) {
  const char *dot = strrchr(path, '.');
  return dot ? exporter_format(dot + 1) : 0;
}

/* What the path asks for: the collection (checked to live under its parent when nested)
 * or the ranking, and the parent's id. */
static int path_kind(Request *rq, const char **kind, int64_t *parent, HzErr *e) {
  *parent = rq->ids[0];
  if (rq->names[1] && *rq->names[1]) { /* /{parent}/{id}/{collection}/export.* */
    const Resource *r = resource_find(rq->names[1]);
    if (!r) return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个集合：%s", rq->names[1]);
    if (!r->parent || strcmp(r->parent, rq->names[0]))
      return hz_fail(e, HZ_ENOTFOUND, NULL, "%s 不在 %s 之下", rq->names[1], rq->names[0]);
    *kind = r->name;
  } else if (rq->ids[0]) { /* /campaigns/{id}/ranking/export.* */
    *kind = EXPORT_RANKING;
  } else {
    if (!resource_find(rq->names[0])) return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个集合：%s", rq->names[0]);
    *kind = rq->names[0];
  }
  return HZ_OK;
}

int route_export(Request *rq, Response *rs, HzErr *e) {
  ExportRequest x = {.query = rq->query, .format = path_format(rq->path)};
  int rc = path_kind(rq, &x.kind, &x.parent_id, e);
  if (rc) return rc;
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/huizhan-export-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) return hz_fail(e, HZ_EIO, NULL, "无法创建导出用的临时文件：%s", strerror(errno));
  close(fd);
  rc = exporter_write(rq->db, &rq->actor, &x, path, NULL, e);
  if (rc) {
    unlink(path); /* the exporter removed its own file; this is mkstemp's empty one */
    return rc;
  }
  fd = open(path, O_RDONLY | O_CLOEXEC);
  int err = errno;
  unlink(path);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) {
    if (fd >= 0) close(fd);
    return hz_fail(e, HZ_EIO, NULL, "无法读取导出文件：%s", strerror(fd < 0 ? err : errno));
  }
  char name[256];
  exporter_filename(x.kind, x.format, name, sizeof name);
  response_file(rs, 200, exporter_content_type(x.format), fd, (uint64_t)st.st_size);
  response_attachment(rs, name);
  return HZ_OK;
}
