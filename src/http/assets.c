/* Serving the embedded web UI. Vite names every file under assets/ by its content hash,
 * so those are immutable; the build put a gzip -9 copy beside each (name.gz). index.html
 * names the current hashes, so it must be revalidated on every load. */
#include "http/assets.h"
#include "util/embed.h"
#include <string.h>

static const HzEmbedded *find(const char *name) {
  for (const HzEmbedded *f = hz_embedded_web; f->name; f++)
    if (!strcmp(f->name, name)) return f;
  return NULL;
}

static const char *content_type(const char *name) {
  static const char *const types[][2] = {
    {".js", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".html", "text/html; charset=utf-8"},     {".svg", "image/svg+xml"},
    {".png", "image/png"},                     {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},                  {".woff2", "font/woff2"},
    {".woff", "font/woff"},                    {".ttf", "font/ttf"},
    {".json", "application/json; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
  };
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
    if (!strcmp(dot, types[i][0])) return types[i][1];
  return "application/octet-stream";
}

static int serve_index(Response *rs, HzErr *e) {
  const HzEmbedded *f = find("index.html");
  if (!f) return hz_fail(e, HZ_ENOTFOUND, NULL, "网页界面未编译进本程序");
  response_static(rs, 200, content_type(f->name), f->data, f->size);
  response_header(rs, "Cache-Control", "no-cache");
  return HZ_OK;
}

int assets_serve(Request *rq, Response *rs, HzErr *e) {
  const char *path = rq->path;
  while (*path == '/') path++;
  /* No file name holds "..", a backslash or a second-level folder other than assets/. */
  if (!*path || strstr(path, "..") || strchr(path, '\\')) return serve_index(rs, e);
  int hashed = !strncmp(path, "assets/", 7);
  size_t n = strlen(path);
  if (n > 3 && !strcmp(path + n - 3, ".gz")) {
    if (hashed) return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个文件：%s", rq->path);
    return serve_index(rs, e);
  }
  const HzEmbedded *f = find(path);
  if (!f) {
    if (hashed) return hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个文件：%s", rq->path);
    return serve_index(rs, e); /* a route of the app: /projects/123, /screen */
  }
  const char *type = content_type(f->name);
  if (!strcmp(f->name, "index.html")) return serve_index(rs, e);
  const HzEmbedded *gz = NULL;
  char gzname[256];
  if ((size_t)snprintf(gzname, sizeof gzname, "%s.gz", f->name) < sizeof gzname) gz = find(gzname);
  if (gz && request_accepts_gzip(rq)) {
    response_static(rs, 200, type, gz->data, gz->size);
    response_header(rs, "Content-Encoding", "gzip");
  } else {
    response_static(rs, 200, type, f->data, f->size);
  }
  if (gz) response_header(rs, "Vary", "Accept-Encoding");
  response_header(rs, "Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return HZ_OK;
}
