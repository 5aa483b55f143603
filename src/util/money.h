/* Money is an integer number of yuan everywhere inside huizhan; people write and read 万元. */
#ifndef HZ_MONEY_H
#define HZ_MONEY_H
#include <stddef.h>
#include <stdint.h>

/* Largest amount accepted: 10^15 yuan, far above any real project, far below int64 overflow. */
#define MONEY_MAX INT64_C(1000000000000000)

/* Parses what a person types in a form or a spreadsheet cell into yuan:
 * "1234567", "1,234,567", "1234567元", "123.45万", "123.45万元", "2.5亿", "2.5亿元".
 * Surrounding spaces are ignored. Negative, fractional yuan, empty or garbage: HZ_EINVAL. */
int money_parse(const char *s, int64_t *yuan);
/* Yuan as 万元 with two decimals, rounded half away from zero: 1234567 -> "123.46". */
void money_format_wan(int64_t yuan, char *out, size_t n);

#endif
