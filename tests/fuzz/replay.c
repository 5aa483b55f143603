/* A main() for the libFuzzer harnesses without libFuzzer, so that `make test` (gcc, and
 * ASan/UBSan under `make asan`) replays the committed inputs through each harness:
 *   fuzz_csv_replay DIR|FILE ...
 * runs LLVMFuzzerTestOneInput once on every file (directories recursively, in name
 * order) and prints how many it ran. A harness that breaks a promise traps, and
 * the sanitizers abort on memory errors: the test then fails. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 1 << 16, len = 0, got;
  uint8_t *buf = malloc(cap);
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  if (!buf) return -1;
  /* An exact-size copy, so that ASan sees a read past the input's end. */
  uint8_t *in = malloc(len ? len : 1);
  memcpy(in, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(in, len);
  free(in);
  return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Runs every regular file under path (directories recursively, in name order). */
static void run_path(const char *path, int *files, int *failed) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    (*failed)++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    *failed += run_file(path) != 0;
    (*files)++;
    return;
  }
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    (*failed)++;
    return;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d)))
    if (de->d_name[0] != '.') { /* ., .. and .gitkeep */
      names = realloc(names, (n + 1) * sizeof *names);
      names[n++] = strdup(de->d_name);
    }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  for (size_t k = 0; k < n; k++) {
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, names[k]);
    run_path(sub, files, failed);
    free(names[k]);
  }
  free(names);
}

int main(int argc, char **argv) {
  int files = 0, failed = 0;
  for (int i = 1; i < argc; i++) run_path(argv[i], &files, &failed);
  printf("%s: %d inputs replayed, %d unreadable\n", argv[0], files, failed);
  return failed || !files ? 1 : 0;
}
