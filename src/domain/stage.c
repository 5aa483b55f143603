#include "domain/stage.h"
#include "util/timeutil.h"
#include <string.h>

const Choice stage_choices[STAGE_COUNT + 1] = {
  {"lead", "信息"}, {"negotiating", "洽谈"}, {"signed", "签约"}, {"started", "开工"},
  {"completed", "竣工"}, {"dropped", "终止"}, {0},
};

int stage_parse(const char *s) {
  const Choice *c = choice_find(stage_choices, s);
  return c ? (int)(c - stage_choices) : -1;
}

const char *stage_name(int s) { return s >= 0 && s < STAGE_COUNT ? stage_choices[s].code : "?"; }
const char *stage_label_zh(int s) { return s >= 0 && s < STAGE_COUNT ? stage_choices[s].label : "?"; }

int stage_move_passes(int from, int to, int s) {
  if (to == STAGE_DROPPED) return s == STAGE_DROPPED;
  return s > from && s <= to;
}

/* The evidence a move must carry, by field: its zh-CN label for messages. */
static int need_date(const char *v, const char *field, const char *label, const char *what, HzErr *e) {
  if (!v) return hz_fail_more(e, HZ_ERULE, field, "%s需要提供%s（%s）", what, label, field);
  if (date_parse(v, NULL)) return hz_fail_more(e, HZ_EINVAL, field, "%s应为 YYYY-MM-DD 格式的真实日期", label);
  return HZ_OK;
}

/* The checks after the first four are independent: each one that fails names its field,
 * so a move to signed without contract date and value names both in one answer. */
int stage_check_move(int from, int to, const StageEvidence *ev, HzErr *e) {
  if (from < 0 || from >= STAGE_COUNT || to < 0 || to >= STAGE_COUNT)
    return hz_fail(e, HZ_EINVAL, "to_stage", "未知的项目阶段");
  if (!ev->date) return hz_fail(e, HZ_ERULE, "date", "阶段变更需要提供变更日期（date）");
  if (date_parse(ev->date, NULL)) return hz_fail(e, HZ_EINVAL, "date", "变更日期应为 YYYY-MM-DD 格式的真实日期");
  if (from == STAGE_COMPLETED || from == STAGE_DROPPED)
    return hz_fail(e, HZ_ERULE, "to_stage", "项目已%s，不能再变更阶段", stage_label_zh(from));
  if (to != STAGE_DROPPED && to <= from)
    return hz_fail(e, HZ_ERULE, "to_stage", "阶段只能向前推进：当前为%s，不能变更为%s", stage_label_zh(from),
                   stage_label_zh(to));
  int rc = HZ_OK;
  /* Evidence of a stage the move does not reach would become figures it has no right
   * to: a contract value given with a move to negotiating would sit on the project. */
  int signs = stage_move_passes(from, to, STAGE_SIGNED);
  int starts = stage_move_passes(from, to, STAGE_STARTED);
  int completes = stage_move_passes(from, to, STAGE_COMPLETED);
  if (!signs && ev->contract_date)
    rc = hz_fail_more(e, HZ_ERULE, "contract_date", "此次阶段变更不涉及签约，不应填写签约日期");
  if (!signs && ev->contract_value >= 0)
    rc = hz_fail_more(e, HZ_ERULE, "contract_value", "此次阶段变更不涉及签约，不应填写合同金额");
  if (!starts && ev->start_date) rc = hz_fail_more(e, HZ_ERULE, "start_date", "此次阶段变更不涉及开工，不应填写开工日期");
  if (!completes && ev->completion_date)
    rc = hz_fail_more(e, HZ_ERULE, "completion_date", "此次阶段变更不涉及竣工，不应填写竣工日期");
  if (to != STAGE_DROPPED && ev->reason)
    rc = hz_fail_more(e, HZ_ERULE, "reason", "只有终止项目时才填写终止原因（reason）");
  if (to == STAGE_DROPPED) {
    if (!ev->reason || !*ev->reason) rc = hz_fail_more(e, HZ_ERULE, "reason", "终止项目需要说明终止原因（reason）");
    return rc;
  }
  /* Evidence of every stage the move lands on or skips over. */
  if (signs) {
    int r = need_date(ev->contract_date, "contract_date", "签约日期", "签约", e);
    if (r) rc = r;
    if (ev->contract_value < 0)
      rc = hz_fail_more(e, HZ_ERULE, "contract_value", "签约需要提供合同金额（contract_value）");
  }
  int r = starts ? need_date(ev->start_date, "start_date", "开工日期", "开工", e) : HZ_OK;
  if (r) rc = r;
  r = completes ? need_date(ev->completion_date, "completion_date", "竣工日期", "竣工", e) : HZ_OK;
  if (r) rc = r;
  if (rc) return rc;
  if (ev->contract_date && ev->start_date && strcmp(ev->start_date, ev->contract_date) < 0)
    rc = hz_fail_more(e, HZ_ERULE, "start_date", "开工日期不能早于签约日期");
  if (ev->start_date && ev->completion_date && strcmp(ev->completion_date, ev->start_date) < 0)
    rc = hz_fail_more(e, HZ_ERULE, "completion_date", "竣工日期不能早于开工日期");
  return rc;
}

const char *stage_entry_date(int to, const StageEvidence *ev) {
  if (to == STAGE_SIGNED) return ev->contract_date;
  if (to == STAGE_STARTED) return ev->start_date;
  if (to == STAGE_COMPLETED) return ev->completion_date;
  return NULL; /* negotiating has no evidence: its move may be recorded after the signing it led to */
}

int stage_check_since(const StageEvidence *ev, const char *since, const char *what, HzErr *e) {
  static const char *const fields[] = {"contract_date", "start_date", "completion_date"};
  static const char *const labels_zh[] = {"签约日期", "开工日期", "竣工日期"};
  const char *values[] = {ev->contract_date, ev->start_date, ev->completion_date};
  if (!since) return HZ_OK;
  /* ISO dates compare as text. */
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    if (values[i] && strcmp(values[i], since) < 0)
      return hz_fail(e, HZ_ERULE, fields[i], "%s（%s）不能早于%s（%s）", labels_zh[i], values[i], what, since);
  return HZ_OK;
}
