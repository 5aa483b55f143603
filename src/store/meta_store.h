/* Single values of the meta table that are neither the revision nor the audit chain:
 * today only the demo marker `huizhan demo` leaves for the login page's hint. */
#ifndef HZ_META_STORE_H
#define HZ_META_STORE_H
#include "db/db.h"

/* Sets key to value (inserting the key when absent). */
int meta_store_put(Db *db, const char *key, const char *value, HzErr *e);
/* Copies the value of key into out (size n, truncated); "" when the key is absent.
 * HZ_OK or HZ_EDB. */
int meta_store_get(Db *db, const char *key, char *out, size_t n, HzErr *e);

#endif
