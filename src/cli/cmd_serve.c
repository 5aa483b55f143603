/* huizhan serve: the JSON API (and, later, the web UI) over HTTP. */
#include "cli/cli.h"
#include "http/server.h"
#include "util/text.h"
#include <stdio.h>
#include <string.h>

int cmd_serve(const CliArgs *a) {
  HzErr e = {0};
  Db *db = NULL;
  /* Held for the server's life, so that huizhan restore can tell the file is served. */
  int lock = -1;
  int rc = db_file_lock(cli_db_target(a), 0, &lock, &e);
  if (!rc) rc = cli_backup_options(a, &e);
  /* Bring the schema up to date once, before any worker opens the database. */
  if (!rc) rc = cli_open_db(a, 0, &db, &e);
  db_close(db);
  if (rc) {
    db_file_unlock(lock);
    return cli_fail(&e);
  }
  int64_t threads = 4;
  const char *t = cli_opt_env(a, "threads", "HUIZHAN_THREADS");
  const char *jobs = cli_opt_env(a, "jobs", "HUIZHAN_JOBS");
  if (t && (parse_int64(t, &threads) || threads < 1 || threads > 64))
    rc = hz_fail(&e, HZ_EINVAL, "threads", "--threads 应为 1 到 64 之间的整数");
  else if (jobs && strcmp(jobs, "on") && strcmp(jobs, "off")) rc = hz_fail(&e, HZ_EINVAL, "jobs", "--jobs 应为 on 或 off");
  if (rc) {
    db_file_unlock(lock);
    return cli_fail(&e);
  }
  const char *listen = cli_opt_env(a, "listen", "HUIZHAN_LISTEN");
  ServerConfig cfg = {.db_path = cli_db_target(a), .listen = listen ? listen : "127.0.0.1:8080", .threads = (unsigned)threads,
                      .jobs = !jobs || !strcmp(jobs, "on"), .trust_proxy = cli_opt_env(a, "trust-proxy", "HUIZHAN_TRUST_PROXY"),
                      .tls_cert = cli_opt_env(a, "tls-cert", "HUIZHAN_TLS_CERT"), .tls_key = cli_opt_env(a, "tls-key", "HUIZHAN_TLS_KEY")};
  rc = server_run(&cfg, &e);
  db_file_unlock(lock); /* after every connection of the server is closed */
  return rc ? cli_fail(&e) : 0;
}
