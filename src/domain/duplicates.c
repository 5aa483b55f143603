#include "domain/duplicates.h"
#include "domain/figures.h"
#include "domain/record.h"
#include "store/duplicates_store.h"
#include "store/progress_store.h"
#include "store/record_store.h"
#include <stdlib.h>
#include <string.h>

/* Decodes UTF-8 into code points, folding full-width forms (ＡＢＣ１２３) to half-width and
 * ASCII letters to lower case, and keeping letters, digits and CJK only. */
static size_t fold(const char *s, uint32_t *out, size_t max) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p && n < max) {
    uint32_t cp = *p;
    int len = 1;
    if (cp >= 0xF0) { cp &= 0x07; len = 4; }
    else if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
    else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
    int k = 1;
    for (; k < len && p[k]; k++) cp = (cp << 6) | (p[k] & 0x3F);
    p += k; /* never past the terminating NUL, even on a cut-off sequence */
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0; /* full-width ASCII */
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    int keep = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp >= 0x3400;
    if (cp >= 0xFF00 && cp <= 0xFFEF) keep = 0; /* the rest of the full-width block: punctuation */
    if (cp >= 0x3000 && cp < 0x3040) keep = 0;  /* CJK punctuation and the ideographic space */
    if (keep) out[n++] = cp;
  }
  return n;
}

/* A project name as compared: folded, without the word 项目. */
static size_t normalise(const char *s, uint32_t *out, size_t max) {
  size_t n = fold(s, out, max);
  for (size_t i = 0; i + 1 < n; i++)
    if (out[i] == 0x9879 && out[i + 1] == 0x76EE) { /* 项目 */
      memmove(&out[i], &out[i + 2], (n - i - 2) * sizeof *out);
      n -= 2;
      i--;
    }
  return n;
}

size_t duplicates_investor_key(const char *name, uint32_t *out, size_t max) {
  /* Legal forms, longest first; stripped again and again, so 集团有限公司 goes too. */
  static const char *const suffixes[] = {"股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "股份"};
  size_t n = fold(name, out, max), stripped = 1;
  while (stripped) {
    stripped = 0;
    for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0] && !stripped; s++) {
      uint32_t suf[8];
      size_t m = fold(suffixes[s], suf, 8);
      /* Keep at least two characters: 集团公司 alone names nobody in particular. */
      if (n >= m + 2 && !memcmp(out + n - m, suf, m * sizeof *suf)) {
        n -= m;
        stripped = 1;
      }
    }
  }
  return n;
}

double duplicates_name_similarity(const char *a, const char *b) {
  uint32_t x[256], y[256];
  size_t nx = normalise(a, x, 256), ny = normalise(b, y, 256);
  if (nx < 2 || ny < 2) return nx == ny && nx && x[0] == y[0] ? 1.0 : 0.0;
  int used[256] = {0};
  size_t common = 0;
  for (size_t i = 0; i + 1 < nx; i++)
    for (size_t j = 0; j + 1 < ny; j++)
      if (!used[j] && x[i] == y[j] && x[i + 1] == y[j + 1]) {
        used[j] = 1;
        common++;
        break;
      }
  return 2.0 * (double)common / (double)((nx - 1) + (ny - 1));
}

#define KEY_MAX 128
typedef struct {
  json_t *row;    /* a claim of duplicates_store_claims, borrowed */
  int64_t id, unit, investor;
  int by_name;    /* the investor's name may match another investor's (enterprises only) */
  size_t n;
  uint32_t key[KEY_MAX];
} Claim;

static int claim_cmp(const void *a, const void *b) {
  const Claim *x = a, *y = b;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  int c = memcmp(x->key, y->key, x->n * sizeof *x->key);
  if (c) return c;
  return x->id < y->id ? -1 : x->id > y->id;
}
static int pair_cmp(const void *a, const void *b) {
  json_t *const *x = a, *const *y = b;
  for (int k = 0; k < 2; k++) {
    int64_t i = json_integer_value(json_object_get(json_object_get(*x, k ? "b" : "a"), "id"));
    int64_t j = json_integer_value(json_object_get(json_object_get(*y, k ? "b" : "a"), "id"));
    if (i != j) return i < j ? -1 : 1;
  }
  return 0;
}
static int dismissed(json_t *pairs, int64_t a, int64_t b) {
  size_t lo = 0, hi = json_array_size(pairs);
  while (lo < hi) { /* sorted by (project_a, project_b) */
    size_t mid = lo + (hi - lo) / 2;
    json_t *p = json_array_get(pairs, mid);
    int64_t pa = json_integer_value(json_array_get(p, 0)), pb = json_integer_value(json_array_get(p, 1));
    if (pa == a && pb == b) return 1;
    if (pa < a || (pa == a && pb < b)) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}
static json_t *side(const Claim *c) {
  return json_pack("{s:I s:O s:I s:I s:O}", "id", (json_int_t)c->id, "name", json_object_get(c->row, "name"),
                   "lead_unit_id", (json_int_t)c->unit, "investor_id", (json_int_t)c->investor, "investor_name",
                   json_object_get(c->row, "investor_name"));
}

/* Claims x < y (by id) of different units: a candidate pair when they share the investor,
 * or two enterprises of the same name key, and their project names look alike. */
static void consider(const Claim *x, const Claim *y, json_t *dismissals, json_t *items) {
  if (x->unit == y->unit || dismissed(dismissals, x->id, y->id)) return;
  int same = x->investor == y->investor;
  if (!same && !(x->by_name && y->by_name)) return;
  double s = duplicates_name_similarity(json_string_value(json_object_get(x->row, "name")),
                                        json_string_value(json_object_get(y->row, "name")));
  if (s < DUPLICATE_SIMILARITY) return;
  json_array_append_new(items, json_pack("{s:o s:o s:I s:s s:f}", "a", side(x), "b", side(y), "investor_id",
                                         (json_int_t)x->investor, "match", same ? "investor" : "investor_name",
                                         "similarity", (double)(int)(s * 100 + 0.5) / 100.0));
}

int duplicates_candidates(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *claims = NULL, *dismissals = NULL, *items = json_array();
  int rc = duplicates_store_claims(db, campaign_id, &claims, e);
  if (!rc) rc = duplicates_store_dismissed(db, campaign_id, &dismissals, e);
  size_t n = json_array_size(claims);
  Claim *c = rc ? NULL : calloc(n ? n : 1, sizeof *c);
  if (!rc && !c) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  for (size_t i = 0; !rc && i < n; i++) {
    json_t *row = json_array_get(claims, i);
    c[i].row = row;
    c[i].id = json_integer_value(json_object_get(row, "id"));
    c[i].unit = json_integer_value(json_object_get(row, "lead_unit_id"));
    c[i].investor = json_integer_value(json_object_get(row, "investor_id"));
    c[i].n = duplicates_investor_key(json_string_value(json_object_get(row, "investor_name")), c[i].key, KEY_MAX);
    /* A person's name is not unique enough to say two records are one investor. */
    c[i].by_name = c[i].n >= 2 && !strcmp(json_string_value(json_object_get(row, "investor_kind")), "enterprise");
  }
  /* Claims of one investor share its name key, so every candidate pair lies in one run of
   * equal keys; persons' runs are compared by investor id only. */
  if (!rc && n) qsort(c, n, sizeof *c, claim_cmp);
  for (size_t i = 0; !rc && i < n;) {
    size_t j = i + 1;
    while (j < n && c[j].n == c[i].n && !memcmp(c[j].key, c[i].key, c[i].n * sizeof *c->key)) j++;
    for (size_t x = i; x < j; x++)
      for (size_t y = x + 1; y < j; y++) consider(&c[x], &c[y], dismissals, items);
    i = j;
  }
  if (!rc) {
    size_t m = json_array_size(items);
    json_t **v = malloc((m ? m : 1) * sizeof *v);
    if (!v) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    for (size_t k = 0; !rc && k < m; k++) v[k] = json_incref(json_array_get(items, k));
    if (!rc) {
      qsort(v, m, sizeof *v, pair_cmp); /* in (a, b) id order, as before */
      json_array_clear(items);
      for (size_t k = 0; k < m; k++) json_array_append_new(items, v[k]);
    }
    free(v);
  }
  free(c);
  json_decref(claims);
  json_decref(dismissals);
  if (rc) json_decref(items);
  else *out = json_pack("{s:o}", "items", items);
  return rc;
}

static int settle_tx(Db *db, const Actor *a, json_t *project, json_t *other, int duplicate, json_t **out, HzErr *e) {
  const Resource *r = resource_find("projects");
  int64_t id = json_integer_value(json_object_get(project, "id")), other_id = json_integer_value(json_object_get(other, "id"));
  int rc;
  if (duplicate) {
    json_t *change = json_pack("{s:I}", "duplicate_of", (json_int_t)other_id);
    rc = record_store_update(db, r, id, json_integer_value(json_object_get(project, "version")), change, e);
    json_decref(change);
    if (!rc) rc = figures_refresh_project(db, id, e);
  } else {
    rc = progress_store_dismiss(db, id, other_id, e);
  }
  if (!rc) rc = record_store_get(db, r, id, 0, out, e);
  if (!rc) rc = record_audit(db, a, duplicate ? "settle_duplicate" : "dismiss_duplicate", r, id, project, *out, e);
  return rc;
}

int duplicates_settle(Db *db, const Actor *a, int64_t project_id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以认定重复项目");
  json_t *dup = json_object_get(body, "duplicate_of"), *not_dup = json_object_get(body, "not_duplicate_of");
  const char *field = dup ? "duplicate_of" : "not_duplicate_of";
  json_t *ref = dup ? dup : not_dup;
  if (json_object_size(body) != 1 || !ref)
    return hz_fail(e, HZ_EINVAL, "duplicate_of", "请求体应为 {\"duplicate_of\": 编号} 或 {\"not_duplicate_of\": 编号}");
  if (!json_is_integer(ref) || json_integer_value(ref) <= 0) return hz_fail(e, HZ_EINVAL, field, "应为项目编号");
  if (json_integer_value(ref) == project_id) return hz_fail(e, HZ_EINVAL, field, "不能与自身比较");
  const Resource *r = resource_find("projects");
  json_t *project = NULL, *other = NULL;
  int rc = record_store_get(db, r, project_id, 0, &project, e);
  if (!rc && record_store_get(db, r, json_integer_value(ref), 0, &other, e)) {
    hz_err_clear(e);
    rc = hz_fail(e, HZ_EINVAL, field, "引用的项目不存在");
  }
  if (!rc && dup && !json_is_null(json_object_get(other, "duplicate_of")))
    rc = hz_fail(e, HZ_ERULE, field, "对方项目本身已被认定为重复项目");
  if (!rc && dup && !json_is_null(json_object_get(project, "duplicate_of")))
    rc = hz_fail(e, HZ_ERULE, "duplicate_of", "该项目已被认定为重复项目");
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    rc = settle_tx(db, a, project, other, dup != NULL, out, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  json_decref(project);
  json_decref(other);
  return rc;
}
