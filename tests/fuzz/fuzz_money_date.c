/* libFuzzer harness for the text parsers of util/: dates (timeutil.c date_parse), money as
 * people type it (money.c money_parse, and money_format_wan of what it gives) and integers
 * (text.c parse_int64). The input is the text, cut at its first NUL like a C string. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/money.h"
#include "util/text.h"
#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = strndup((const char *)data, size);
  int days = 0;
  if (!date_parse(s, &days)) {
    /* A date that parses is exactly the text its day number formats back to. */
    char back[DATE_LEN];
    date_format(days, back);
    if (strcmp(back, s)) __builtin_trap();
    int y, m, d;
    date_to_ymd(days, &y, &m, &d);
    if (date_from_ymd(y, m, d) != days || m < 1 || m > 12 || d < 1 || d > 31) __builtin_trap();
  }
  int64_t yuan = -1;
  if (!money_parse(s, &yuan)) {
    if (yuan < 0 || yuan > MONEY_MAX) __builtin_trap();
    char wan[32];
    money_format_wan(yuan, wan, sizeof wan);
    /* 万元 with two decimals parses back to the same amount rounded to 100 yuan. */
    char again[40];
    snprintf(again, sizeof again, "%s万", wan);
    int64_t rounded = -1;
    if (money_parse(again, &rounded) || rounded != (yuan + 50) / 100 * 100) __builtin_trap();
  }
  int64_t n, again;
  if (!parse_int64(s, &n)) {
    /* An integer that parses is digits, and its decimal text reads back the same. */
    char back[32];
    snprintf(back, sizeof back, "%lld", (long long)n);
    if (s[strspn(s + (s[0] == '-'), "0123456789") + (s[0] == '-')]) __builtin_trap();
    if (parse_int64(back, &again) || again != n) __builtin_trap();
  }
  free(s);
  return 0;
}
