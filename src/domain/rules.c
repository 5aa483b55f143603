#include "domain/rules.h"
#include "domain/progress.h"
#include "domain/record.h"
#include "domain/snapshot.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CONDITION_DEPTH_MAX 4
#define CONDITION_PARTS_MAX 32

static const char *const plain_facts[] = {"status", "rank", "category_rank", "rank_from_bottom", "score", "completion",
                                          "campaign_targets_met", "annual_targets_met", "all_targets_met", NULL};
static const char *const metric_prefixes[] = {"completion.", "certified.", "reported.", "target.", "annual_target.", NULL};
static const char *const metrics[] = {"funds_arrived", "signed_count", "signed_value", "started_count",
                                      "completed_count", "policy_funds", "leads_count", NULL};
static const char *const ops[] = {"eq", "ne", "lt", "lte", "gt", "gte", "in", NULL};

static int in_list(const char *s, const char *const *list) {
  for (int i = 0; s && list[i]; i++)
    if (!strcmp(s, list[i])) return 1;
  return 0;
}

static int known_fact(const char *f) {
  if (in_list(f, plain_facts)) return 1;
  for (int i = 0; f && metric_prefixes[i]; i++) {
    size_t n = strlen(metric_prefixes[i]);
    if (!strncmp(f, metric_prefixes[i], n) && in_list(f + n, metrics)) return 1;
  }
  return 0;
}

static int bad(HzErr *e, const char *why) { return hz_fail(e, HZ_EINVAL, "condition", "条件有误：%s", why); }

static int check(json_t *c, int depth, int *parts, HzErr *e) {
  if (++*parts > CONDITION_PARTS_MAX) return bad(e, "条件过多");
  if (depth > CONDITION_DEPTH_MAX) return bad(e, "嵌套过深");
  if (!json_is_object(c)) return bad(e, "每个条件应为对象");
  json_t *all = json_object_get(c, "all"), *any = json_object_get(c, "any"), *not = json_object_get(c, "not");
  json_t *list = all ? all : any;
  if (list || not) {
    if (json_object_size(c) != 1) return bad(e, "all / any / not 须单独成一个对象");
    if (not) return check(not, depth + 1, parts, e);
    if (!json_is_array(list) || !json_array_size(list)) return bad(e, "all / any 应为非空数组");
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
      int rc = check(x, depth + 1, parts, e);
      if (rc) return rc;
    }
    return HZ_OK;
  }
  const char *field = json_string_value(json_object_get(c, "field"));
  const char *op = json_string_value(json_object_get(c, "op"));
  json_t *value = json_object_get(c, "value");
  if (json_object_size(c) != 3 || !field || !op || !value) return bad(e, "比较条件须有 field、op、value 三项");
  if (!known_fact(field)) return bad(e, "未知的 field");
  if (!in_list(op, ops)) return bad(e, "未知的 op");
  int is_status = !strcmp(field, "status"), is_bool = strstr(field, "_met") != NULL;
  if (!strcmp(op, "in")) {
    if (!is_status || !json_is_array(value)) return bad(e, "in 只用于 status，value 为数组");
    return HZ_OK;
  }
  if (is_status && (!json_is_string(value) || (strcmp(op, "eq") && strcmp(op, "ne")))) return bad(e, "status 只能用 eq / ne 比较文本");
  if (is_bool && (!json_is_boolean(value) || (strcmp(op, "eq") && strcmp(op, "ne")))) return bad(e, "达标与否只能用 eq / ne 比较 true / false");
  if (!is_status && !is_bool && !json_is_number(value)) return bad(e, "数值比较的 value 应为数字");
  return HZ_OK;
}

int rules_check_condition(json_t *cond, HzErr *e) {
  int parts = 0;
  return check(cond, 0, &parts, e);
}

static int compare(const char *op, double a, double b) {
  if (!strcmp(op, "eq")) return a == b;
  if (!strcmp(op, "ne")) return a != b;
  if (!strcmp(op, "lt")) return a < b;
  if (!strcmp(op, "lte")) return a <= b;
  if (!strcmp(op, "gt")) return a > b;
  return a >= b;
}

int rules_match(json_t *c, json_t *facts) {
  json_t *all = json_object_get(c, "all"), *any = json_object_get(c, "any"), *not = json_object_get(c, "not");
  size_t i;
  json_t *x;
  if (not) return !rules_match(not, facts);
  if (all) {
    json_array_foreach(all, i, x) if (!rules_match(x, facts)) return 0;
    return 1;
  }
  if (any) {
    json_array_foreach(any, i, x) if (rules_match(x, facts)) return 1;
    return 0;
  }
  const char *op = json_string_value(json_object_get(c, "op"));
  json_t *fact = json_object_get(facts, json_string_value(json_object_get(c, "field")));
  json_t *value = json_object_get(c, "value");
  if (!fact || json_is_null(fact)) return 0;
  if (!strcmp(op, "in")) {
    json_array_foreach(value, i, x) if (json_equal(x, fact)) return 1;
    return 0;
  }
  if (json_is_string(fact) || json_is_boolean(fact)) return !strcmp(op, "eq") ? json_equal(fact, value) : !json_equal(fact, value);
  return compare(op, json_number_value(fact), json_number_value(value));
}

json_t *rules_defaults(void) {
  json_error_t err;
  return json_loads(
      "["
      "{\"code\":\"R-RULE-1\",\"name\":\"月底无明显成效\",\"trigger_on\":\"month_end\","
      "\"condition\":{\"field\":\"status\",\"op\":\"eq\",\"value\":\"zero\"},"
      "\"outcome\":\"full_time_investment\",\"outcome_text\":\"主要负责人离职招商\"},"
      "{\"code\":\"R-RULE-2\",\"name\":\"会战结束仍无成效\",\"trigger_on\":\"final\","
      "\"condition\":{\"field\":\"status\",\"op\":\"eq\",\"value\":\"zero\"},"
      "\"outcome\":\"leave_post\",\"outcome_text\":\"主要负责人离岗招商\"},"
      "{\"code\":\"R-RULE-3\",\"name\":\"未完成会战或全年目标任务\",\"trigger_on\":\"final\","
      "\"condition\":{\"any\":[{\"field\":\"campaign_targets_met\",\"op\":\"eq\",\"value\":false},"
      "{\"field\":\"annual_targets_met\",\"op\":\"eq\",\"value\":false}]},"
      "\"outcome\":\"accountability\",\"outcome_text\":\"追究主要负责人责任，全员缓发省标工资\"},"
      "{\"code\":\"R-RULE-4\",\"name\":\"完成全部目标且排名前列\",\"trigger_on\":\"final\","
      "\"condition\":{\"all\":[{\"field\":\"all_targets_met\",\"op\":\"eq\",\"value\":true},"
      "{\"field\":\"rank\",\"op\":\"lte\",\"value\":3}]},"
      "\"outcome\":\"commendation\",\"outcome_text\":\"表彰奖励\"},"
      "{\"code\":\"R-RULE-5\",\"name\":\"通报排名靠后或进度滞后\",\"trigger_on\":\"bulletin\","
      "\"condition\":{\"any\":[{\"field\":\"rank_from_bottom\",\"op\":\"lte\",\"value\":3},"
      "{\"field\":\"status\",\"op\":\"in\",\"value\":[\"behind\",\"zero\"]}]},"
      "\"outcome\":\"admonition\",\"outcome_text\":\"约谈主要负责人，谈话诫勉\"}"
      "]",
      0, &err);
}

/* Enabled rules of a campaign triggered by `trigger` (a checkpoint kind or "bulletin"). */
static int triggered_rules(Db *db, const Actor *a, int64_t campaign_id, const char *trigger, json_t **out, HzErr *e) {
  *out = json_array();
  json_t *filters = json_pack("[[s s i]]", "enabled", "=", 1), *items = NULL;
  int rc = record_list_all(db, a, resource_find("rules"), campaign_id, filters, &items, e);
  size_t i;
  json_t *r;
  json_array_foreach(items, i, r) {
    const char *on = json_string_value(json_object_get(r, "trigger_on"));
    int checkpoint = strcmp(trigger, "bulletin") != 0;
    if (!strcmp(on, trigger) || (checkpoint && !strcmp(on, "any_checkpoint"))) json_array_append(*out, r);
  }
  json_decref(filters);
  json_decref(items);
  return rc;
}

/* Whether a unit has any target (campaign or annual) in the campaign. */
static int has_target(json_t *f) {
  for (int i = 0; metrics[i]; i++) {
    char key[64];
    snprintf(key, sizeof key, "target.%s", metrics[i]);
    if (json_integer_value(json_object_get(f, key)) > 0) return 1;
    snprintf(key, sizeof key, "annual_target.%s", metrics[i]);
    if (json_integer_value(json_object_get(f, key)) > 0) return 1;
  }
  return 0;
}

/* The facts of the units the rules judge: a unit given no target has nothing to be
 * judged against, so it is left out (it stays in the ranking). rank_from_bottom is
 * counted among the judged units only, so units left out at the bottom of the ranking
 * do not shield the real laggards from bottom-N rules. New reference. */
static json_t *judged_facts(json_t *facts) {
  json_t *out = json_array();
  size_t i, j;
  json_t *f, *g;
  json_array_foreach(facts, i, f) if (has_target(f)) json_array_append_new(out, json_deep_copy(f));
  json_array_foreach(out, i, f) {
    int below = 0; /* judged units ranked at or below this one */
    json_array_foreach(out, j, g) below += json_integer_value(json_object_get(g, "rank")) >=
                                           json_integer_value(json_object_get(f, "rank"));
    json_object_set_new(f, "rank_from_bottom", json_integer(below));
  }
  return out;
}

/* The proposals the rules make over the units' facts. */
static json_t *propose(json_t *rules, json_t *all_facts, int64_t campaign_id, const char *occasion_field,
                       int64_t occasion, const char *as_of) {
  json_t *out = json_array(), *facts = judged_facts(all_facts);
  size_t i, j;
  json_t *r, *f;
  json_array_foreach(rules, i, r) json_array_foreach(facts, j, f) {
    if (!rules_match(json_object_get(r, "condition"), f)) continue;
    json_t *basis = json_pack("{s:{s:O s:O s:O s:O} s:s s:O}", "rule", "id", json_object_get(r, "id"), "code",
                              json_object_get(r, "code"), "name", json_object_get(r, "name"), "condition",
                              json_object_get(r, "condition"), "as_of", as_of, "figures", f);
    json_t *p = json_pack("{s:I s:O s:O s:O s:O s:O s:o}", "campaign_id", (json_int_t)campaign_id, "rule_id",
                          json_object_get(r, "id"), "unit_id", json_object_get(f, "unit_id"), "unit_name",
                          json_object_get(f, "name"), "outcome", json_object_get(r, "outcome"), "outcome_text",
                          json_object_get(r, "outcome_text"), "basis", basis);
    json_object_set_new(p, occasion_field, json_integer(occasion));
    json_array_append_new(out, p);
  }
  json_decref(facts);
  return out;
}

/* Loads a checkpoint's campaign facts as of `as_of` and the proposals its rules make. */
static int checkpoint_proposals(Db *db, const Actor *a, int64_t checkpoint_id, int as_of, json_t **checkpoint,
                                json_t **proposals, HzErr *e) {
  *proposals = NULL;
  int rc = record_read(db, a, resource_find("checkpoints"), checkpoint_id, checkpoint, e);
  if (rc) return rc;
  int64_t campaign_id = json_integer_value(json_object_get(*checkpoint, "campaign_id"));
  if (as_of < 0) {
    /* Judged on its day's figures, which are only all in once the day has come: before
     * that the early warning shows what it would propose. */
    date_parse(json_string_value(json_object_get(*checkpoint, "date")), &as_of);
    if (as_of > date_today())
      return hz_fail(e, HZ_ERULE, "date", "考核节点（%s）尚未到期，不能评估；可查看预警",
                     json_string_value(json_object_get(*checkpoint, "date")));
  }
  json_t *rules = NULL;
  Board *b = NULL;
  rc = triggered_rules(db, a, campaign_id, json_string_value(json_object_get(*checkpoint, "kind")), &rules, e);
  if (!rc) rc = board_load(db, campaign_id, as_of, &b, e);
  if (!rc) {
    json_t *facts = board_unit_facts(b);
    char day[DATE_LEN];
    date_format(as_of, day);
    *proposals = propose(rules, facts, campaign_id, "checkpoint_id", checkpoint_id, day);
    json_decref(facts);
  }
  board_free(b);
  json_decref(rules);
  return rc;
}

static int store_proposals(Db *db, const Actor *a, json_t *proposals, int *created, HzErr *e) {
  int rc = HZ_OK;
  size_t i;
  json_t *p;
  *created = 0;
  json_array_foreach(proposals, i, p) {
    int is_new = 0;
    if ((rc = workflow_store_propose(db, p, &is_new, e))) break;
    if (!is_new) continue;
    (*created)++;
    json_t *rec = NULL;
    if (!(rc = record_store_get(db, resource_find("proposals"), json_integer_value(json_object_get(p, "id")), 0, &rec, e)))
      rc = record_audit(db, a, "propose", resource_find("proposals"), json_integer_value(json_object_get(p, "id")), NULL, rec, e);
    json_decref(rec);
    if (rc) break;
  }
  return rc;
}

/* The undecided proposals of a checkpoint that today's evaluation no longer makes: a
 * record certified late may lift a unit out of a rule. They are not withdrawn (nothing
 * is applied silently); the office sees them and dismisses them with a note. */
static int no_longer_met(Db *db, int64_t checkpoint_id, json_t *current, json_t **out, HzErr *e) {
  json_t *open = NULL;
  int rc = workflow_store_open_proposals(db, checkpoint_id, &open, e);
  *out = json_array();
  size_t i, j;
  json_t *p, *q;
  json_array_foreach(open, i, p) {
    int still = 0;
    json_array_foreach(current, j, q) still |= json_integer_value(json_object_get(q, "rule_id")) ==
                                                   json_integer_value(json_object_get(p, "rule_id")) &&
                                               json_integer_value(json_object_get(q, "unit_id")) ==
                                                   json_integer_value(json_object_get(p, "unit_id"));
    if (!still) json_array_append(*out, p);
  }
  json_decref(open);
  return rc;
}

int rules_evaluate_checkpoint(Db *db, const Actor *a, int64_t checkpoint_id, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以评估考核节点");
  json_t *checkpoint = NULL, *proposals = NULL, *snap = NULL, *lapsed = NULL;
  int rc = db_begin(db, e), created = 0;
  if (rc) return rc;
  rc = checkpoint_proposals(db, a, checkpoint_id, -1, &checkpoint, &proposals, e);
  if (!rc) rc = no_longer_met(db, checkpoint_id, proposals, &lapsed, e);
  if (!rc) rc = store_proposals(db, a, proposals, &created, e);
  /* The figures behind new proposals are frozen (R-PROG-11); an evaluation that adds
   * nothing freezes nothing either. */
  if (!rc && created) {
    const char *date = json_string_value(json_object_get(checkpoint, "date"));
    char label[1024];
    int day = 0;
    date_parse(date, &day);
    snprintf(label, sizeof label, "考核节点：%s（%s）", json_string_value(json_object_get(checkpoint, "name")), date);
    utf8_trim_partial(label);
    rc = snapshot_create_tx(db, a, json_integer_value(json_object_get(checkpoint, "campaign_id")), day, label, &snap,
                            NULL, e);
  }
  if (!rc) rc = db_commit(db, e);
  if (rc) db_rollback(db);
  else
    *out = json_pack("{s:O s:i s:i s:o s:O s:O}", "checkpoint", checkpoint, "created", created, "existing",
                     (int)json_array_size(proposals) - created, "proposals", json_incref(proposals), "snapshot_id",
                     snap ? json_object_get(snap, "id") : json_null(), "no_longer_met", lapsed);
  json_decref(lapsed);
  json_decref(checkpoint);
  json_decref(proposals);
  json_decref(snap);
  return rc;
}

int rules_early_warning(Db *db, const Actor *a, int64_t checkpoint_id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *checkpoint = NULL, *proposals = NULL;
  int rc = checkpoint_proposals(db, a, checkpoint_id, date_today(), &checkpoint, &proposals, e);
  if (!rc) {
    char today[DATE_LEN];
    date_format(date_today(), today);
    /* A unit user is warned about its own unit only. */
    if (actor_is_unit(a)) {
      json_t *mine = json_array();
      size_t i;
      json_t *p;
      json_array_foreach(proposals, i, p) if (json_integer_value(json_object_get(p, "unit_id")) == a->unit_id)
          json_array_append(mine, p);
      json_decref(proposals);
      proposals = mine;
    }
    *out = json_pack("{s:O s:s s:o}", "checkpoint", checkpoint, "as_of", today, "would_propose", json_incref(proposals));
  }
  json_decref(checkpoint);
  json_decref(proposals);
  return rc;
}

int rules_evaluate_bulletin(Db *db, const Actor *a, int64_t campaign_id, int64_t bulletin_id, json_t *facts,
                            int as_of, json_t **proposals, HzErr *e) {
  json_t *rules = NULL;
  int rc = triggered_rules(db, a, campaign_id, "bulletin", &rules, e), created = 0;
  char day[DATE_LEN];
  date_format(as_of, day);
  *proposals = rc ? json_array() : propose(rules, facts, campaign_id, "bulletin_id", bulletin_id, day);
  if (!rc) rc = store_proposals(db, a, *proposals, &created, e);
  json_decref(rules);
  return rc;
}

int rules_decide(Db *db, const Actor *a, int64_t proposal_id, int approve, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以批准或驳回建议");
  const char *k;
  json_t *v, *note = json_object_get(body, "note");
  json_object_foreach(body, k, v) if (strcmp(k, "note")) hz_err_field(e, k, "未知字段");
  if (note && !json_is_string(note)) hz_err_field(e, "note", "应为文本");
  if (!approve && (!json_is_string(note) || !*json_string_value(note))) hz_err_field(e, "note", "驳回时必须说明理由");
  if (e->fields && json_object_size(e->fields)) return hz_fail(e, HZ_EINVAL, NULL, "输入有误");
  const Resource *r = resource_find("proposals");
  json_t *before = NULL;
  int rc = record_store_get(db, r, proposal_id, 0, &before, e);
  if (!rc && strcmp(json_string_value(json_object_get(before, "status")), "proposed"))
    rc = hz_fail(e, HZ_ERULE, "status", "该建议已处理（%s），不能再改", json_string_value(json_object_get(before, "status")));
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    char today[DATE_LEN];
    date_format(date_today(), today);
    json_t *values = json_pack("{s:s s:o s:s s:O}", "status", approve ? "approved" : "dismissed", "decided_by",
                               a->id ? json_integer(a->id) : json_null(), "decided_on", today, "note",
                               note ? note : json_null());
    rc = record_store_update(db, r, proposal_id, json_integer_value(json_object_get(before, "version")), values, e);
    json_decref(values);
    if (!rc) rc = record_store_get(db, r, proposal_id, 0, out, e);
    if (!rc) rc = record_audit(db, a, approve ? "approve" : "dismiss", r, proposal_id, before, *out, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
      db_rollback(db);
      json_decref(*out);
      *out = NULL;
    }
  }
  json_decref(before);
  return rc;
}
