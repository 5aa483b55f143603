/* The command line: one table of commands, each with its options and help. */
#ifndef HZ_CLI_H
#define HZ_CLI_H
#include "db/db.h"
#include "domain/role.h"

/* Runs argv; returns the process exit code (0 ok, 1 failure, 2 usage). */
int cli_main(int argc, char **argv);

/* Parsed "--name value" options of one command. */
typedef struct {
  const char *names[32];
  const char *values[32];
  int n;
  const char *positional[8];
  int npositional;
} CliArgs;

const char *cli_opt(const CliArgs *a, const char *name);
/* The option, else the environment variable env when it is set and not empty, else NULL
 * (serve's settings from /etc/huizhan/huizhan.conf through systemd's EnvironmentFile). */
const char *cli_opt_env(const CliArgs *a, const char *name, const char *env);
/* The database: --db, else the environment variable HUIZHAN_DB (so that a PostgreSQL
 * password stays out of `ps`); NULL when neither is given. A file path or a libpq URI. */
const char *cli_db_target(const CliArgs *a);
/* HZ_OK when the target is new: a SQLite file that does not exist yet, or a PostgreSQL
 * database that holds no table; else HZ_ECONFLICT naming command ("init" …). */
int cli_db_fresh(const CliArgs *a, const char *command, HzErr *e);
/* The same for any target; field names the option in the error ("db", "to"). */
int cli_target_fresh(const char *target, const char *field, const char *command, HzErr *e);
/* After a failed init/demo/gen: deletes the SQLite file (a PostgreSQL database stays). */
void cli_db_discard(const CliArgs *a);
/* Opens the database (cli_db_target, required) and brings its schema up to date. */
int cli_open_db(const CliArgs *a, int create, Db **db, HzErr *e);
/* The system itself acting from the command line: admin rights, user id 0. */
extern const Actor cli_actor;
/* --backup-dir and --backup-keep into the backup job's settings (domain/backup.h). */
int cli_backup_options(const CliArgs *a, HzErr *e);
/* Prints e to stderr and returns the exit code for it. */
int cli_fail(HzErr *e);

/* The commands, one file each. */
int cmd_init(const CliArgs *a);
int cmd_serve(const CliArgs *a);
int cmd_demo(const CliArgs *a);
int cmd_user(const CliArgs *a);
int cmd_token(const CliArgs *a);
int cmd_audit(const CliArgs *a);
int cmd_check(const CliArgs *a);
int cmd_job(const CliArgs *a);
int cmd_evaluate(const CliArgs *a);
int cmd_bulletin(const CliArgs *a);
int cmd_gen(const CliArgs *a);
int cmd_export(const CliArgs *a);
int cmd_import(const CliArgs *a);
int cmd_migrate(const CliArgs *a);
int cmd_backup(const CliArgs *a);
int cmd_restore(const CliArgs *a);
int cmd_security_policy(const CliArgs *a);

#endif
