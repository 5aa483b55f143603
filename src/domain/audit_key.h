/* The audit chain's key (R-SEC-4): a file of 32 random bytes (hex) kept outside the
 * database, readable only by the service user, and the database's record of which key
 * and from which entry on its chain is keyed. Where the file is found is the CLI's
 * business (cli_audit_key in cli/cli.c); this module reads, makes and binds it. */
#ifndef HZ_AUDIT_KEY_H
#define HZ_AUDIT_KEY_H
#include "db/db.h"
#include "domain/audit.h"
#include "domain/role.h"

#define AUDIT_KEY_ID_LEN 33 /* 32 hex + NUL */

/* Reads the key file at path into key (its first line), and registers the retired keys
 * its later lines hold ("KEY FROM", after a rotation: audit_key_retire). With create, makes it first when it is missing:
 * written to a temporary file (mode 0600) and linked into place, so two processes making
 * it at once both end with the one key; *created (when not NULL) = 1 when this call made
 * it. HZ_ENOTFOUND when missing (and not create), HZ_EINVAL when unreadable, not 64 hex
 * digits, or open to others than its owner (group or world permissions), HZ_EIO when it
 * cannot be made. The field named is "audit-key". */
int audit_key_file_read(const char *path, int create, unsigned char key[AUDIT_KEY_BYTES], int *created, HzErr *e);

/* The fingerprint meta.audit_key_id holds: HMAC-SHA-256 of keyed_from under key, 32 hex.
 * It names the key without revealing it, and ties the keyed-from point to the key, so
 * that without the key nobody can move that point to make keyed entries count as plain. */
void audit_key_fingerprint(const unsigned char key[AUDIT_KEY_BYTES], int64_t keyed_from, char out[AUDIT_KEY_ID_LEN]);

/* Checks that db's chain is keyed with key (meta audit_key_id and audit_keyed_from) and
 * sets the process's key (audit_key_set) for it. A database whose log is empty and that
 * holds no account yet (just made by init, demo, gen or migrate's target) is bound to the
 * key from entry 1 on. Errors, HZ_EIO: the chain is not keyed (a database from before
 * keyed audit: `huizhan audit rekey` upgrades it; or someone removed the key's record),
 * or it is keyed with another key (wrong key file). */
int audit_key_bind(Db *db, const unsigned char key[AUDIT_KEY_BYTES], HzErr *e);

/* `huizhan audit rekey`: upgrades a database from before keyed audit. Verifies its
 * unkeyed chain and its certified records and published bulletins as `audit verify`
 * does, then keys the chain with key from the next entry on: records the key's
 * fingerprint and the point in meta and appends an `audit_key` entry (the first keyed
 * one) in one transaction. The old entries stay as they are, still checked as plain
 * SHA-256 and covered by the keyed entries that link to them. *keyed_from = that entry's
 * id. HZ_ECONFLICT when the chain is keyed already; HZ_EIO naming the first problem when
 * the old chain or the records do not verify (then nothing is written). */
int audit_key_upgrade(Db *db, const Actor *a, const unsigned char key[AUDIT_KEY_BYTES], int64_t *keyed_from, HzErr *e);

/* A copy of the key file from at to (made new, mode 0600), the retired keys included.
 * HZ_EIO when to exists or cannot be written (nothing is left there then). */
int audit_key_file_copy(const char *from, const char *to, HzErr *e);

/* *keyed = whether db's chain is keyed (has a key record). */
int audit_key_is_keyed(Db *db, int *keyed, HzErr *e);

/* `huizhan audit rekey` on a keyed database: rotates its key. Reads the ring at path (its
 * current key and the keys retired before), binds db with it, and verifies the whole chain
 * and the certified records and published bulletins as `audit verify` does (stopping at
 * the first problem, writing nothing). Then a new random key covers the chain from the
 * next entry on: the new ring (the new key, then the old one with the first entry it
 * covered, then the older retired ones) is written and synced beside path, the key's
 * record and an `audit_key` entry ({rotated_from, previous_key_id}, the first entry under
 * the new key) are committed in one transaction, and the new ring is renamed over path.
 * Past entries keep their hashes (printed heads stay true); the old key file alone no
 * longer binds. The caller makes sure no other process writes the chain meanwhile (its
 * key would be the old one). *keyed_from = the first entry under the new key. */
int audit_key_rotate(Db *db, const Actor *a, const char *path, int64_t *keyed_from, HzErr *e);

#endif
