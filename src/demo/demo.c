#include "demo/demo.h"
int demo_build(Db *db, const char *password, int today, DemoSummary *sum, HzErr *e) {
  return hz_fail(e, HZ_EIO, NULL, "demo: under construction");
}
