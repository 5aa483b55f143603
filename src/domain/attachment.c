#include "domain/attachment.h"
#include "domain/record.h"
#include "store/blob_store.h"
#include "store/record_store.h"
#include "util/crypto.h"
#include "util/text.h"
#include <string.h>
#include <strings.h>

static const struct {
  const char *type;
  const char *magic;
  size_t magic_len;
} allowed[] = {
  {"application/pdf", "%PDF-", 5},
  {"image/jpeg", "\xFF\xD8\xFF", 3},
  {"image/png", "\x89PNG\r\n\x1a\n", 8},
  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4},
  {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4},
  {"application/ofd", "PK\x03\x04", 4},
  {"application/vnd.ms-excel", "\xD0\xCF\x11\xE0", 4},
  {"application/msword", "\xD0\xCF\x11\xE0", 4},
};

const char *attachment_sniff(const char *content_type, const unsigned char *data, size_t n) {
  if (!content_type) return NULL;
  size_t tlen = strcspn(content_type, "; ");
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    if (strlen(allowed[i].type) != tlen || strncasecmp(allowed[i].type, content_type, tlen)) continue;
    if (n >= allowed[i].magic_len && !memcmp(data, allowed[i].magic, allowed[i].magic_len)) return allowed[i].type;
    return NULL;
  }
  return NULL;
}

const char *attachment_type(const char *content_type) {
  size_t tlen = content_type ? strcspn(content_type, "; ") : 0;
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
    if (strlen(allowed[i].type) == tlen && !strncasecmp(allowed[i].type, content_type, tlen)) return allowed[i].type;
  return NULL;
}

static int check_filename(const char *f, HzErr *e) {
  if (!f || !*f) return hz_fail(e, HZ_EINVAL, "filename", "缺少文件名（?filename=）");
  if (utf8_length(f) > 200) return hz_fail(e, HZ_EINVAL, "filename", "文件名过长");
  for (const unsigned char *p = (const unsigned char *)f; *p; p++)
    if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == '"')
      return hz_fail(e, HZ_EINVAL, "filename", "文件名含有不允许的字符");
  return HZ_OK;
}

static int store_tx(Db *db, const Actor *a, json_t *values, const char *sha, const void *data, size_t n,
                    json_t **out, HzErr *e) {
  const Resource *r = resource_find("attachments");
  int64_t id = 0;
  int rc = blob_store_put(db, sha, data, n, e);
  if (!rc) rc = record_store_insert(db, r, values, &id, e);
  if (!rc) rc = record_store_get(db, r, id, 0, out, e);
  if (!rc) rc = record_audit(db, a, "create", r, id, NULL, *out, e);
  return rc;
}

int attachment_upload(Db *db, const Actor *a, int64_t project_id, const char *filename, const char *content_type,
                      const void *data, size_t n, const char *link_field, int64_t link_id, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & (ROLES_CENTRAL | ROLES_UNIT))) return hz_fail(e, HZ_EFORBIDDEN, NULL, "角色“%s”无权上传附件", role_name(a->role));
  json_t *project = NULL, *linked = NULL;
  int rc = record_store_get(db, resource_find("projects"), project_id, record_scope_unit(a), &project, e);
  json_decref(project);
  if (rc) return rc;
  if ((rc = check_filename(filename, e))) return rc;
  if (!n) return hz_fail(e, HZ_EINVAL, "body", "文件为空");
  if (n > ATTACHMENT_MAX) return hz_fail(e, HZ_ETOOBIG, "body", "文件超过 20 MB 上限");
  if (!attachment_type(content_type))
    return hz_fail(e, HZ_EMEDIA, "Content-Type", "只接受 PDF、JPEG、PNG、OFD、Word 和 Excel 文件");
  const char *type = attachment_sniff(content_type, data, n);
  if (!type) return hz_fail(e, HZ_EMEDIA, "Content-Type", "文件内容与声明的类型不符");
  if (link_field) {
    rc = record_store_get(db, resource_find(!strcmp(link_field, "fund_id") ? "funds" : "stage-changes"), link_id, 0,
                          &linked, e);
    if (rc) {
      hz_err_clear(e);
      return hz_fail(e, HZ_EINVAL, link_field, "引用的记录不存在");
    }
    int same = json_integer_value(json_object_get(linked, "project_id")) == project_id;
    json_decref(linked);
    if (!same) return hz_fail(e, HZ_EINVAL, link_field, "引用的记录不属于该项目");
  }
  char sha[SHA256_HEX_LEN];
  sha256_hex(data, n, sha);
  json_t *values = json_pack("{s:I s:s s:s s:I s:s}", "project_id", (json_int_t)project_id, "filename", filename,
                             "content_type", type, "size", (json_int_t)n, "sha256", sha);
  if (a->id) json_object_set_new(values, "created_by", json_integer(a->id));
  if (link_field) json_object_set_new(values, link_field, json_integer(link_id));
  rc = db_begin(db, e);
  if (!rc) rc = store_tx(db, a, values, sha, data, n, out, e);
  if (!rc) rc = db_commit(db, e);
  if (rc) {
    db_rollback(db);
    json_decref(*out);
    *out = NULL;
  }
  json_decref(values);
  return rc;
}

int attachment_content(Db *db, const Actor *a, int64_t id, json_t **rec, void **data, size_t *n, HzErr *e) {
  *data = NULL;
  int rc = record_read(db, a, resource_find("attachments"), id, rec, e);
  if (!rc) rc = blob_store_get(db, json_string_value(json_object_get(*rec, "sha256")), data, n, e);
  if (rc) {
    json_decref(*rec);
    *rec = NULL;
  }
  return rc;
}
