/* domain/security.c and role.c: the policy's validation and storage, the password rules
 * (length, classes, history) against a migrated database, and who the separation of
 * duties admits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include "domain/role.h"
#include "domain/security.h"
#include "store/auth_store.h"
#include "util/crypto.h"
#include "temp_db.h"

static void test_policy_apply(void **state) {
  (void)state;
  SecurityPolicy p;
  security_policy_default(&p);
  assert_int_equal(p.session_idle_minutes, 30);
  assert_int_equal(p.password_max_days, 90);
  HzErr e = {0};
  json_t *ok = json_pack("{s:i s:i s:b s:i}", "session_idle_minutes", 15, "password_min_classes", 3,
                         "separation_of_duties", 1, "version", 4);
  assert_int_equal(security_policy_apply(&p, ok, &e), HZ_OK);
  assert_int_equal(p.session_idle_minutes, 15);
  assert_int_equal(p.password_min_classes, 3);
  assert_int_equal(p.separation_of_duties, 1);
  assert_int_equal(p.version, 0); /* the version is the store's, never taken from a patch */
  json_decref(ok);
  /* Every bad key named; nothing of a bad value taken. */
  json_t *bad = json_pack("{s:i s:i s:s s:i s:i}", "session_idle_minutes", 0, "password_min_length", 7,
                          "separation_of_duties", "on", "no_such_key", 1, "password_history", 25);
  assert_int_equal(security_policy_apply(&p, bad, &e), HZ_EINVAL);
  assert_int_equal(json_object_size(e.fields), 5);
  for (const char *const *k = (const char *const[]){"session_idle_minutes", "password_min_length",
                                                    "separation_of_duties", "no_such_key", "password_history", NULL};
       *k; k++)
    assert_non_null(json_object_get(e.fields, *k));
  assert_int_equal(p.session_idle_minutes, 15);
  assert_int_equal(p.password_min_length, 8);
  json_decref(bad);
  hz_err_clear(&e);
}

static void test_password_rules(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "security");
  SecurityPolicy p;
  security_policy_default(&p);
  HzErr e = {0};
  /* Length counts characters, not bytes: 7 Chinese characters are 21 bytes but too short. */
  assert_int_equal(security_password_check(t.db, &p, 0, "密码密码密码1", "pw", &e), HZ_EINVAL);
  assert_non_null(json_object_get(e.fields, "pw"));
  hz_err_clear(&e);
  assert_int_equal(security_password_check(t.db, &p, 0, "abcdefgh", "pw", &e), HZ_EINVAL); /* one class */
  hz_err_clear(&e);
  assert_int_equal(security_password_check(t.db, &p, 0, "abcdefg1", "pw", &e), HZ_OK);
  assert_int_equal(security_password_check(t.db, &p, 0, "密码密码密码密码", "pw", &e), HZ_EINVAL); /* "other" only */
  hz_err_clear(&e);
  p.password_min_classes = 4;
  assert_int_equal(security_password_check(t.db, &p, 0, "abcDEF12", "pw", &e), HZ_EINVAL);
  hz_err_clear(&e);
  assert_int_equal(security_password_check(t.db, &p, 0, "abcDEF1!", "pw", &e), HZ_OK);
  /* History: a user with passwords A, B, C stored (C current); history 2 refuses C and B, not A. */
  p.password_min_classes = 2;
  p.password_history = 2;
  assert_int_equal(db_exec(t.db,
                           "INSERT INTO users (id, created_at, updated_at, login, name, role, password_hash)"
                           " VALUES (7, 'x', 'x', 'u7', 'U', 'office', 'none')",
                           &e),
                   HZ_OK);
  const char *pws[] = {"first-pass-1", "second-pass-2", "third-pass-3"};
  for (int i = 0; i < 3; i++) {
    char h[PASSWORD_HASH_LEN];
    assert_int_equal(password_hash(pws[i], h), 0);
    assert_int_equal(auth_store_set_password(t.db, 7, h, &e), HZ_OK);
    assert_int_equal(security_password_stored(t.db, &p, 7, h, &e), HZ_OK);
  }
  int64_t kept = 0;
  assert_int_equal(db_query_int(t.db, "SELECT COUNT(*) FROM password_history WHERE user_id = 7", &kept, &e), HZ_OK);
  assert_int_equal(kept, 2);
  assert_int_equal(security_password_check(t.db, &p, 7, "third-pass-3", "pw", &e), HZ_EINVAL);
  hz_err_clear(&e);
  assert_int_equal(security_password_check(t.db, &p, 7, "second-pass-2", "pw", &e), HZ_EINVAL);
  hz_err_clear(&e);
  assert_int_equal(security_password_check(t.db, &p, 7, "first-pass-1", "pw", &e), HZ_OK);
  /* Stored: the age is set and the must-change mark cleared. */
  int64_t must = -1, age = 0;
  assert_int_equal(db_query_int(t.db, "SELECT must_change_password FROM users WHERE id = 7", &must, &e), HZ_OK);
  assert_int_equal(db_query_int(t.db, "SELECT password_changed_unix FROM users WHERE id = 7", &age, &e), HZ_OK);
  assert_int_equal(must, 0);
  assert_true(age > 1700000000);
  temp_db_close(&t);
}

static void test_policy_stored(void **state) {
  (void)state;
  TempDb t;
  temp_db_open(&t, "policy");
  HzErr e = {0};
  json_t *out = NULL, *body = json_pack("{s:i s:i}", "version", 0, "session_max_hours", 8);
  assert_int_equal(security_policy_update(t.db, &actor_system, body, &out, &e), HZ_OK);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
  json_decref(out);
  SecurityPolicy p;
  assert_int_equal(security_policy_load(t.db, &p, &e), HZ_OK);
  assert_int_equal(p.session_max_hours, 8);
  assert_int_equal(p.session_idle_minutes, 30);
  assert_int_equal(p.version, 1);
  /* The same version again is stale. */
  assert_int_equal(security_policy_update(t.db, &actor_system, body, &out, &e), HZ_ECONFLICT);
  hz_err_clear(&e);
  json_decref(body);
  /* Separation needs an active security admin and auditor. */
  body = json_pack("{s:i s:b}", "version", 1, "separation_of_duties", 1);
  assert_int_equal(security_policy_update(t.db, &actor_system, body, &out, &e), HZ_ERULE);
  assert_non_null(json_object_get(e.fields, "separation_of_duties"));
  hz_err_clear(&e);
  assert_int_equal(db_exec(t.db,
                           "INSERT INTO users (created_at, updated_at, login, name, role, password_hash) VALUES"
                           " ('x','x','s','S','security_admin','h'), ('x','x','a','A','auditor','h')",
                           &e),
                   HZ_OK);
  assert_int_equal(security_policy_update(t.db, &actor_system, body, &out, &e), HZ_OK);
  json_decref(out);
  json_decref(body);
  int64_t audited = 0;
  assert_int_equal(db_query_int(t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'security_policy'", &audited, &e), HZ_OK);
  assert_int_equal(audited, 2);
  /* The widened role check still refuses an unknown role. */
  assert_int_not_equal(db_exec(t.db, "INSERT INTO users (created_at, updated_at, login, name, role, password_hash)"
                                     " VALUES ('x','x','z','Z','root','h')", &e), HZ_OK);
  hz_err_clear(&e);
  temp_db_close(&t);
}

static void test_actor_may(void **state) {
  (void)state;
  Actor admin = {.role = ROLE_ADMIN}, sec = {.role = ROLE_SECURITY_ADMIN}, aud = {.role = ROLE_AUDITOR};
  unsigned accounts = ROLE_ADMIN | ROLE_SECURITY_ADMIN | ROLES_SEPARABLE, logs = ROLES_CENTRAL | ROLE_AUDITOR | ROLES_SEPARABLE;
  assert_true(actor_may(&admin, accounts));
  assert_true(actor_may(&sec, accounts));
  assert_false(actor_may(&aud, accounts));
  assert_true(actor_may(&admin, logs));
  assert_true(actor_may(&aud, logs));
  admin.separated = sec.separated = aud.separated = 1;
  assert_false(actor_may(&admin, accounts));
  assert_true(actor_may(&sec, accounts));
  assert_false(actor_may(&admin, logs));
  assert_true(actor_may(&aud, logs));
  /* Sets without the mark do not change: the admin keeps the campaign's work. */
  assert_true(actor_may(&admin, ROLES_CENTRAL));
  assert_false(actor_may(&aud, ROLES_ALL));
  assert_int_equal(role_parse("security_admin"), ROLE_SECURITY_ADMIN);
  assert_string_equal(role_name(ROLE_AUDITOR), "auditor");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_policy_apply),
    cmocka_unit_test(test_password_rules),
    cmocka_unit_test(test_policy_stored),
    cmocka_unit_test(test_actor_may),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
