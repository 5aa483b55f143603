/* libFuzzer harness for the XLSX reader (io/table_xlsx.c). Mutating a real .xlsx mostly
 * breaks its zip checksums, so the input is the workbook's XML parts, separated by NUL
 * bytes, in this order (an empty part is left out of the zip):
 *   _rels/.rels, xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/worksheets/sheet1.xml,
 *   xl/sharedStrings.xml, xl/styles.xml, xl/worksheets/sheet2.xml, mimetype
 * and the harness stores them in a zip made in memory (libzip, no compression). The first
 * byte picks the options (bit 0: undo the formula guard, bit 1: small caps on a row and on
 * the shared strings, bit 2: read the sheet named "第二页"). An input that starts with
 * "PK" after that byte is read as a zip file as it is (seeds made by xlsx_write). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include "table_check.h"

static const char *const part_names[] = {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                         "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                                         "xl/worksheets/sheet2.xml", "mimetype"};
#define NPARTS (sizeof part_names / sizeof part_names[0])

/* The parts as a zip in a new buffer (*len bytes), or NULL. */
static void *zip_parts(const uint8_t *data, size_t size, size_t *len) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
  void *out = NULL;
  if (!za) goto done;
  zip_source_keep(src);
  size_t at = 0;
  for (size_t i = 0; i < NPARTS && at <= size; i++) {
    const uint8_t *end = memchr(data + at, 0, size - at);
    size_t n = end ? (size_t)(end - (data + at)) : size - at;
    if (n) {
      zip_source_t *s = zip_source_buffer(za, data + at, n, 0);
      zip_int64_t idx = s ? zip_file_add(za, part_names[i], s, ZIP_FL_ENC_UTF_8) : -1;
      if (idx < 0) zip_source_free(s);
      else zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    at += n + 1;
  }
  if (zip_close(za) < 0) {
    zip_discard(za);
    goto done;
  }
  zip_stat_t st;
  if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) goto done;
  out = malloc(st.size ? st.size : 1);
  if (out && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
    free(out);
    out = NULL;
  }
  *len = st.size;
  zip_source_close(src);
done:
  if (src) zip_source_free(src);
  zip_error_fini(&ze);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size) return 0;
  TableOpts o = {.filename = "导入.xlsx", .unguard = data[0] & 1, .sheet = data[0] & 4 ? "第二页" : NULL};
  if (data[0] & 2) {
    o.max_row_bytes = 64;
    o.max_shared_bytes = 256;
  }
  if (size >= 3 && data[1] == 'P' && data[2] == 'K') {
    fuzz_table_read(data + 1, size - 1, &o);
    return 0;
  }
  size_t len = 0;
  void *zip = zip_parts(data + 1, size - 1, &len);
  if (zip) fuzz_table_read(zip, len, &o);
  free(zip);
  return 0;
}
