#include "util/money.h"
#include "util/err.h"
#include <stdio.h>
#include <string.h>

static const char *skip_spaces(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

int money_parse(const char *s, int64_t *yuan) {
  if (!s) return HZ_EINVAL;
  s = skip_spaces(s);
  int64_t whole = 0, frac = 0;
  int frac_digits = 0, digits = 0, seen_dot = 0;
  /* Thousands separators must group by three ("1,234,567"): "1,5万" is someone's 1.5万,
   * not 15万. run = digits since the last comma, grouped = a comma was seen. */
  int run = 0, grouped = 0;
  for (; *s; s++) {
    if (*s >= '0' && *s <= '9') {
      if (seen_dot) {
        if (frac_digits >= 8) return HZ_EINVAL;
        frac = frac * 10 + (*s - '0');
        frac_digits++;
      } else {
        if (whole > MONEY_MAX) return HZ_EINVAL;
        whole = whole * 10 + (*s - '0');
        run++;
      }
      digits++;
    } else if (*s == ',' && !seen_dot && digits > 0) {
      if (grouped ? run != 3 : run > 3) return HZ_EINVAL;
      grouped = 1;
      run = 0;
    } else if (*s == '.' && !seen_dot) {
      seen_dot = 1;
      if (grouped && run != 3) return HZ_EINVAL;
    } else {
      break;
    }
  }
  if (!digits || (grouped && !seen_dot && run != 3)) return HZ_EINVAL;
  int64_t scale = 1; /* yuan per unit written */
  if (strncmp(s, "万", strlen("万")) == 0) {
    scale = 10000;
    s += strlen("万");
  } else if (strncmp(s, "亿", strlen("亿")) == 0) {
    scale = 100000000;
    s += strlen("亿");
  }
  if (strncmp(s, "元", strlen("元")) == 0) s += strlen("元");
  s = skip_spaces(s);
  if (*s) return HZ_EINVAL;
  if (whole > MONEY_MAX / scale) return HZ_EINVAL;
  int64_t pow10 = 1;
  for (int i = 0; i < frac_digits; i++) pow10 *= 10;
  /* The fraction must come out as whole yuan: 1.5万 = 15000, but 1.5 yuan is refused. */
  if ((frac * scale) % pow10 != 0) return HZ_EINVAL;
  int64_t total = whole * scale + frac * scale / pow10;
  if (total > MONEY_MAX) return HZ_EINVAL;
  if (yuan) *yuan = total;
  return HZ_OK;
}

void money_format_wan(int64_t yuan, char *out, size_t n) {
  int neg = yuan < 0;
  uint64_t a = neg ? (uint64_t)(-(yuan + 1)) + 1 : (uint64_t)yuan;
  uint64_t cents_of_wan = (a + 50) / 100; /* hundredths of 万 = 100 yuan, rounded */
  snprintf(out, n, "%s%llu.%02llu", neg && cents_of_wan ? "-" : "", (unsigned long long)(cents_of_wan / 100),
           (unsigned long long)(cents_of_wan % 100));
}
