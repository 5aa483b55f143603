/* libFuzzer harness for the CSV reader (io/table_csv.c through io/table.c): the first byte
 * picks the options (bit 0: undo the formula guard, bit 1: a 64-byte row cap to reach the
 * "row too long" path), the rest is the file. A file that starts like a zip goes to the
 * XLSX reader, as it would on import. */
#include <stddef.h>
#include <stdint.h>
#include "table_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size) return 0;
  TableOpts o = {.filename = "导入.csv", .unguard = data[0] & 1, .max_row_bytes = data[0] & 2 ? 64 : 0};
  fuzz_table_read(data + 1, size - 1, &o);
  return 0;
}
