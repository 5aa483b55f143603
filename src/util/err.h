/* One project-wide result code, and a context that carries the message and the
 * offending fields to whoever reports the error (HTTP: http/response.c, CLI: cli/cli.c). */
#ifndef HZ_ERR_H
#define HZ_ERR_H
#include <jansson.h>

typedef enum {
  HZ_OK = 0,
  HZ_EINVAL,        /* invalid input (a field breaks its type or rule): 400 */
  HZ_EMALFORMED,    /* the request itself cannot be read (bad JSON, bad UTF-8): 400 */
  HZ_ERULE,         /* well-formed but breaks a rule of the campaign: 422 */
  HZ_ENOTFOUND,     /* 404 */
  HZ_ECONFLICT,     /* stale version, duplicate key: 409 */
  HZ_EAUTH,         /* not logged in / bad credentials: 401 */
  HZ_EFORBIDDEN,    /* role may not: 403 */
  HZ_ETOOBIG,       /* 413 */
  HZ_EMEDIA,        /* unsupported media type: 415 */
  HZ_ERATE,         /* rate limited: 429 */
  HZ_EMETHOD,       /* method not allowed on this resource: 405 */
  HZ_EDB,           /* database failure: 500 */
  HZ_EBUSY,         /* database busy / shutting down: 503 */
  HZ_ENOMEM,
  HZ_EIO,
  HZ_EPRECOND,      /* a precondition the request must carry is missing (DELETE without version): 428 */
  HZ_EURI,          /* the request's URI is longer than the server takes: 414 */
  HZ_EHEADERS,      /* the request's header fields are larger than the server takes: 431 */
  HZ_EPASSWORD,     /* the password must be changed before anything else: 403 password_change_required */
  HZ_RC_COUNT
} HzRc;

typedef struct {
  int rc;
  char message[512];
  json_t *fields; /* object field -> message, or NULL; owned, freed by hz_err_clear */
} HzErr;

/* Sets e (when not NULL) and returns rc. field may be NULL. */
int hz_fail(HzErr *e, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds one more offending field to e without changing its rc or message. */
void hz_err_field(HzErr *e, const char *field, const char *msg);
/* Like hz_fail for a check that goes on after a failure, so one answer names every bad
 * field: the first failure's rc and message stay, later ones only add their field (a
 * field already named keeps its first message). Returns e's rc (rc when e is NULL). */
int hz_fail_more(HzErr *e, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void hz_err_clear(HzErr *e);
/* Stable API error code for rc, e.g. "validation_failed". */
const char *hz_rc_code(int rc);
int hz_rc_http_status(int rc);

#endif
