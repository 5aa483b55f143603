/* Bulletins (通报, 第N期): the office generates a numbered draft for a period from frozen
 * figures (a snapshot), edits its text parts, then publishes it. A published bulletin
 * never changes; its SHA-256 enters the audit chain. */
#ifndef HZ_BULLETIN_H
#define HZ_BULLETIN_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

#define BULLETIN_ISSUER "招商引资百日会战指挥部办公室"

/* body: optional period_start, period_end (default: after the previous bulletin up to
 * yesterday… today), title, issuer. Evaluates the bulletin rules too. *out = the draft. */
int bulletin_generate(Db *db, const Actor *a, int64_t campaign_id, json_t *body, json_t **out, HzErr *e);
/* The text a published bulletin's SHA-256 covers (malloc'd): every part a reader sees. */
char *bulletin_canonical(json_t *bulletin);
int bulletin_publish(Db *db, const Actor *a, int64_t id, json_t **out, HzErr *e);
/* The printable official-circular HTML page (every text escaped). *html malloc'd. */
int bulletin_print(Db *db, const Actor *a, int64_t id, char **html, HzErr *e);

typedef enum { BULLETIN_HTML = 1, BULLETIN_PDF, BULLETIN_XLSX } BulletinFormat;
/* "html" | "pdf" | "xlsx" -> *f; HZ_EINVAL otherwise. */
int bulletin_format_parse(const char *s, BulletinFormat *f);
/* The bulletin as a document (domain/bulletin_doc.h): read with the same rights as the
 * record itself (a draft only for the office and leaders: others get 404). *data
 * malloc'd, *len bytes; *filename (when filename is not NULL) the download's name, as
 * 通报第N期.pdf, malloc'd. The caller frees both. */
int bulletin_render(Db *db, const Actor *a, int64_t id, BulletinFormat format, char **data, size_t *len,
                    char **filename, HzErr *e);
/* Leaders' instructions (批示) on a weekly report ("weekly_report_id") or a bulletin ("bulletin_id"). */
int instruction_add(Db *db, const Actor *a, const char *target_field, int64_t target_id, json_t *body, json_t **out,
                    HzErr *e);
/* Paged by the list parameters in query (limit, offset): {items, total, limit, offset}. */
int instruction_list(Db *db, const Actor *a, const char *target_field, int64_t target_id, json_t *query, json_t **out,
                     HzErr *e);

#endif
