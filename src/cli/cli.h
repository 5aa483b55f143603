/* The command line: one table of commands, each with its options and help. */
#ifndef HZ_CLI_H
#define HZ_CLI_H
#include "db/db.h"
#include "domain/role.h"

/* Runs argv; returns the process exit code (0 ok, 1 failure, 2 usage). */
int cli_main(int argc, char **argv);

/* Parsed "--name value" options of one command. */
typedef struct {
  const char *names[32]; /* also the options every command takes: audit-key, audit-log */
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
/* Opens the database (cli_db_target, required), brings its schema up to date, reads the
 * audit key (cli_audit_key; create=1 also makes a missing key file) and binds the chain
 * to it (audit_key_bind), and with --audit-log FILE starts copying entries there
 * (domain/audit_file.h). Every command that reads or writes a database opens it so. */
int cli_open_db(const CliArgs *a, int create, Db **db, HzErr *e);
/* The same without the key (audit verify and rekey bind it themselves). */
int cli_open_db_unkeyed(const CliArgs *a, Db **db, HzErr *e);
/* Where the audit key file of target is (R-SEC-4), the one rule for every command:
 * --audit-key FILE, else the environment variable HUIZHAN_AUDIT_KEY (a path), else
 * beside a SQLite file (FILE.audit-key). A PostgreSQL database has no default: HZ_EINVAL
 * asking for one of the first two. out has n bytes. *is_default = 1 for the third. */
int cli_audit_key_path(const CliArgs *a, const char *target, char *out, size_t n, int *is_default, HzErr *e);
/* Reads target's key (create=1: makes a missing file) into key; path (4096 bytes, may
 * be NULL) receives where it was found. */
int cli_audit_key_read(const CliArgs *a, const char *target, int create, unsigned char key[32], char *path, HzErr *e);
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
