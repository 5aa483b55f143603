#include "http/http.h"
#include "domain/auth.h"
#include "util/json_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void response_shared(Response *rs, int status, const char *content_type, const void *data, size_t len,
                     void (*release)(void *), void *owner) {
  response_free(rs);
  rs->status = status;
  rs->content_type = content_type;
  rs->body = (char *)data;
  rs->len = len;
  rs->release = release;
  rs->owner = owner;
}

void response_file(Response *rs, int status, const char *content_type, int fd, uint64_t size) {
  response_free(rs);
  rs->status = status;
  rs->content_type = content_type;
  rs->file = 1;
  rs->file_fd = fd;
  rs->file_size = size;
}

void response_take(Response *rs, int status, const char *content_type, char *data, size_t len) {
  response_shared(rs, status, content_type, data, len, data ? free : NULL, data);
}

void response_static(Response *rs, int status, const char *content_type, const void *data, size_t len) {
  response_shared(rs, status, content_type, data, len, NULL, NULL);
}

void response_json(Response *rs, int status, json_t *j) {
  size_t len = 0;
  char *s = json_text(j, &len);
  json_decref(j);
  response_take(rs, status, "application/json; charset=utf-8", s, s ? len : 0);
}

void response_text(Response *rs, int status, const char *content_type, const char *text) {
  char *s = strdup(text);
  response_take(rs, status, content_type, s, strlen(s));
}

void response_header(Response *rs, const char *name, const char *value) {
  if (rs->nextra >= (int)(sizeof rs->extra_headers / sizeof rs->extra_headers[0])) return;
  snprintf(rs->extra_headers[rs->nextra++], sizeof rs->extra_headers[0], "%s: %s", name, value);
}

void response_attachment(Response *rs, const char *filename) {
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "attachment; filename=\"");
  for (const unsigned char *p = (const unsigned char *)filename; *p; p++)
    buf_append(&b, *p < 0x80 && *p != '"' && *p != '\\' ? (const char *)p : "_", 1);
  buf_puts(&b, "\"; filename*=UTF-8''");
  for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
      buf_append(&b, p, 1);
    else buf_printf(&b, "%%%02X", *p);
  }
  response_header(rs, "Content-Disposition", b.data);
  buf_free(&b);
}

void response_error(Response *rs, HzErr *e) {
  int rc = e->rc ? e->rc : HZ_EDB;
  json_t *err = json_pack("{s:s s:s}", "code", hz_rc_code(rc), "message", e->message[0] ? e->message : "服务器内部错误");
  if (e->fields && json_object_size(e->fields)) json_object_set(err, "fields", e->fields);
  else json_object_set_new(err, "fields", json_object());
  response_json(rs, hz_rc_http_status(rc), json_pack("{s:o}", "error", err));
  /* Login is the only rate-limited call; its window is LOGIN_WINDOW_SECONDS. */
  if (rc == HZ_ERATE) {
    char secs[16];
    snprintf(secs, sizeof secs, "%d", LOGIN_WINDOW_SECONDS);
    response_header(rs, "Retry-After", secs);
  }
}

void response_free(Response *rs) {
  if (rs->file) close(rs->file_fd);
  rs->file = 0;
  if (rs->release) rs->release(rs->owner);
  rs->release = NULL;
  rs->owner = NULL;
  rs->body = NULL;
  rs->len = 0;
}
