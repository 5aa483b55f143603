/* huizhan audit verify: walk the hash chain of the audit log, then check that certified
 * figures and published bulletins still read as the log recorded them. */
#include "cli/cli.h"
#include "domain/audit_records.h"
#include "domain/audit_log.h"
#include <stdio.h>
#include <string.h>

int cmd_audit(const CliArgs *a) {
  HzErr e = {0};
  if (a->npositional != 1 || strcmp(a->positional[0], "verify")) {
    fprintf(stderr, "huizhan: audit 需要子命令 verify（huizhan audit --help）\n");
    return 2;
  }
  Db *db = NULL;
  int64_t count = 0;
  int rc = cli_open_db(a, 0, &db, &e);
  if (rc) return cli_fail(&e); /* no database to check: not a broken log */
  json_t *problems = NULL;
  rc = audit_log_verify(db, &count, &e);
  if (!rc) rc = audit_check_records(db, &problems, &e);
  db_close(db);
  if (!rc && json_array_size(problems))
    rc = hz_fail(&e, HZ_EIO, NULL, "%s", json_string_value(json_array_get(problems, 0)));
  json_decref(problems);
  if (rc) {
    fprintf(stderr, "huizhan: audit log broken: %s\n", e.message);
    hz_err_clear(&e);
    return 1;
  }
  printf("ok\n");
  fprintf(stderr, "%lld entries verified\n", (long long)count);
  return 0;
}
