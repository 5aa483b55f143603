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
/* Opens the database named by --db (required) and brings its schema up to date. */
int cli_open_db(const CliArgs *a, int create, Db **db, HzErr *e);
/* The system itself acting from the command line: admin rights, user id 0. */
extern const Actor cli_actor;
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

#endif
