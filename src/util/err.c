#include "util/err.h"
#include "util/text.h"
#include <stdarg.h>
#include <stdio.h>

static const struct { const char *code; int status; } rc_table[HZ_RC_COUNT] = {
  [HZ_OK] = {"ok", 200},
  [HZ_EINVAL] = {"validation_failed", 400},
  [HZ_EMALFORMED] = {"malformed_request", 400},
  [HZ_ERULE] = {"rule_violation", 422},
  [HZ_ENOTFOUND] = {"not_found", 404},
  [HZ_ECONFLICT] = {"conflict", 409},
  [HZ_EAUTH] = {"unauthorized", 401},
  [HZ_EFORBIDDEN] = {"forbidden", 403},
  [HZ_ETOOBIG] = {"payload_too_large", 413},
  [HZ_EMEDIA] = {"unsupported_media_type", 415},
  [HZ_ERATE] = {"too_many_requests", 429},
  [HZ_EMETHOD] = {"method_not_allowed", 405},
  [HZ_EDB] = {"internal_error", 500},
  [HZ_EBUSY] = {"unavailable", 503},
  [HZ_ENOMEM] = {"internal_error", 500},
  [HZ_EIO] = {"internal_error", 500},
  [HZ_EPRECOND] = {"precondition_required", 428},
  [HZ_EURI] = {"uri_too_long", 414},
  [HZ_EHEADERS] = {"headers_too_large", 431},
  [HZ_EPASSWORD] = {"password_change_required", 403},
};

int hz_fail(HzErr *e, int rc, const char *field, const char *fmt, ...) {
  if (!e) return rc;
  e->rc = rc;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->message, sizeof e->message, fmt, ap);
  va_end(ap);
  utf8_trim_partial(e->message); /* a cut inside a character would make the error unsendable */
  if (field) hz_err_field(e, field, e->message);
  return rc;
}

int hz_fail_more(HzErr *e, int rc, const char *field, const char *fmt, ...) {
  if (!e) return rc;
  char msg[sizeof e->message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  utf8_trim_partial(msg);
  if (!e->rc) {
    e->rc = rc;
    snprintf(e->message, sizeof e->message, "%s", msg);
  }
  if (field) hz_err_field(e, field, msg);
  return e->rc;
}

void hz_err_field(HzErr *e, const char *field, const char *msg) {
  if (!e) return;
  if (!e->fields) e->fields = json_object();
  if (!json_object_get(e->fields, field)) json_object_set_new(e->fields, field, json_string(msg));
}

void hz_err_clear(HzErr *e) {
  if (!e) return;
  json_decref(e->fields);
  e->fields = NULL;
  e->rc = HZ_OK;
  e->message[0] = 0;
}

const char *hz_rc_code(int rc) {
  return (rc > 0 && rc < HZ_RC_COUNT) ? rc_table[rc].code : "internal_error";
}

int hz_rc_http_status(int rc) {
  return (rc >= 0 && rc < HZ_RC_COUNT) ? rc_table[rc].status : 500;
}
