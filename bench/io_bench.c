/* io_bench: streams a big table through src/io and reports speed and peak memory.
 *
 *   build/io_bench [ROWS] [DIR]      (default 1000000 rows, DIR /tmp)
 *
 * Four phases, each in its own child process so each one's peak RSS (getrusage via wait4)
 * is its own: write an XLSX of ROWS project-like rows (10 columns, Chinese text), read it
 * back checking every row, then the same as CSV. Not a test: it prints numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "io/csv_write.h"
#include "io/table.h"
#include "io/xlsx_write.h"

static const char *HEAD[] = {"项目编号", "项目名称", "所属单位", "阶段", "投资额（万元）",
                             "签约日期", "数量", "联系人", "联系电话", "备注"};
static const char *STAGES[] = {"洽谈", "签约", "开工", "投产", "达产"};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void row_of(long i, Cell *r, char bufs[5][96]) {
  snprintf(bufs[0], 96, "第%ld号新能源装备制造项目", i);
  snprintf(bufs[1], 96, "第%ld开发区管委会", i % 3000 + 1);
  snprintf(bufs[2], 96, "2026-%02ld-%02ld", i % 12 + 1, i % 28 + 1);
  snprintf(bufs[3], 96, "联系人%ld", i % 997);
  snprintf(bufs[4], 96, "138%08ld", i % 100000000);
  r[0] = (Cell){.kind = CELL_INT, .i = i};
  r[1] = (Cell){.kind = CELL_TEXT, .text = bufs[0]};
  r[2] = (Cell){.kind = CELL_TEXT, .text = bufs[1]};
  r[3] = (Cell){.kind = CELL_TEXT, .text = STAGES[i % 5]};
  r[4] = (Cell){.kind = CELL_DEC, .i = i * 37 % 1000000, .scale = 2};
  r[5] = (Cell){.kind = CELL_TEXT, .text = bufs[2]};
  r[6] = (Cell){.kind = CELL_INT, .i = i % 50};
  r[7] = (Cell){.kind = CELL_TEXT, .text = bufs[3]};
  r[8] = (Cell){.kind = CELL_TEXT, .text = bufs[4]};
  r[9] = (Cell){.kind = CELL_TEXT, .text = i % 10 ? "" : "重点项目，市领导包联"};
}

static int write_xlsx(const char *path, long rows) {
  HzErr e = {0};
  XlsxWriter *w;
  if (xlsx_write_open(path, &(XlsxWriteOpts){.sheet = "项目"}, &w, &e)) goto fail;
  xlsx_write_header(w, HEAD, 10, &e);
  xlsx_write_list(w, 3, STAGES, 5, &e);
  Cell r[10];
  char bufs[5][96];
  for (long i = 1; i <= rows; i++) {
    row_of(i, r, bufs);
    if (xlsx_write_row(w, r, 10, &e)) goto fail;
  }
  if (xlsx_write_close(w, &e)) goto fail;
  return 0;
fail:
  fprintf(stderr, "io_bench: %s\n", e.message);
  return 1;
}

static int write_csv(const char *path, long rows) {
  HzErr e = {0};
  CsvWriter *w;
  if (csv_write_new_file(path, &w, &e)) goto fail;
  csv_write_texts(w, HEAD, 10, &e);
  Cell r[10];
  char bufs[5][96];
  for (long i = 1; i <= rows; i++) {
    row_of(i, r, bufs);
    if (csv_write_row(w, r, 10, &e)) goto fail;
  }
  if (csv_write_close(w, &e)) goto fail;
  return 0;
fail:
  fprintf(stderr, "io_bench: %s\n", e.message);
  return 1;
}

/* Reads every row back and checks the name column and the count. */
static int read_back(const char *path, long rows) {
  HzErr e = {0};
  Table *t;
  TableRow *row;
  long n = 0;
  if (table_open_path(path, NULL, &t, &e) || table_header(t, &row, &e)) goto fail;
  char want[96];
  while (!table_next(t, &row, &e) && row) {
    n++;
    snprintf(want, sizeof want, "第%ld号新能源装备制造项目", n);
    if (row->ncells != 10 || strcmp(row->cells[1], want) != 0) {
      fprintf(stderr, "io_bench: row %ld reads back wrong: %s\n", n, row->cells[1]);
      table_free(t);
      return 1;
    }
  }
  table_free(t);
  if (e.rc) goto fail;
  if (n != rows) {
    fprintf(stderr, "io_bench: %ld rows read back, %ld written\n", n, rows);
    return 1;
  }
  return 0;
fail:
  fprintf(stderr, "io_bench: %s\n", e.message);
  return 1;
}

static int phase(const char *name, int (*fn)(const char *, long), const char *path, long rows) {
  double t0 = now();
  pid_t pid = fork();
  if (pid == 0) _exit(fn(path, rows));
  int status;
  struct rusage ru;
  if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return 1;
  double dt = now() - t0;
  FILE *f = fopen(path, "rb");
  long size = 0;
  if (f) fseek(f, 0, SEEK_END), size = ftell(f), fclose(f);
  /* CPU time too: on a shared machine the wall clock says more about the neighbours */
  double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6;
  printf("%-11s %8ld rows  wall %6.1f s %8.0f rows/s  cpu %6.1f s %8.0f rows/s  peak RSS %5.1f MiB  file %6.1f MiB%s\n",
         name, rows, dt, rows / dt, cpu, rows / cpu, ru.ru_maxrss / 1024.0, size / 1048576.0,
         WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "" : "  FAILED");
  fflush(stdout);
  return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv) {
  long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
  const char *dir = argc > 2 ? argv[2] : "/tmp";
  char xlsx[512], csv[512];
  snprintf(xlsx, sizeof xlsx, "%s/io_bench_%d.xlsx", dir, (int)getpid());
  snprintf(csv, sizeof csv, "%s/io_bench_%d.csv", dir, (int)getpid());
  int bad = phase("xlsx write", write_xlsx, xlsx, rows);
  bad |= phase("xlsx read", read_back, xlsx, rows);
  bad |= phase("csv write", write_csv, csv, rows);
  bad |= phase("csv read", read_back, csv, rows);
  unlink(xlsx);
  unlink(csv);
  return bad;
}
