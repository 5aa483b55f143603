/* huizhan audit verify: walk the hash chain of the audit log. */
#include "cli/cli.h"
#include "store/audit_store.h"
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
  rc = audit_store_verify(db, &count, &e);
  db_close(db);
  if (rc) {
    fprintf(stderr, "huizhan: audit log broken: %s\n", e.message);
    hz_err_clear(&e);
    return 1;
  }
  printf("ok\n");
  fprintf(stderr, "%lld entries verified\n", (long long)count);
  return 0;
}
