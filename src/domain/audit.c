#include "domain/audit.h"
#include "util/buf.h"
#include <inttypes.h>
#include <string.h>

static void put_field(Buf *b, const char *s) {
  if (!s) {
    buf_puts(b, "-|");
    return;
  }
  buf_printf(b, "%zu:", strlen(s));
  buf_puts(b, s);
  buf_puts(b, "|");
}

void audit_entry_hash(const AuditEntry *a, char out[SHA256_HEX_LEN]) {
  Buf b;
  buf_init(&b, 0);
  buf_printf(&b, "%" PRId64 "|%" PRId64 "|%" PRId64 "|", a->id, a->user_id, a->entity_id);
  put_field(&b, a->at);
  put_field(&b, a->action);
  put_field(&b, a->entity);
  put_field(&b, a->before);
  put_field(&b, a->after);
  put_field(&b, a->prev_hash);
  sha256_hex(b.data ? b.data : "", b.len, out);
  buf_free(&b);
}
