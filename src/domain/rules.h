/* The rules engine (R-RULE): rules are data, edited per campaign by the office. Each has
 * a trigger (a checkpoint kind, any checkpoint, or each bulletin), a condition on a
 * unit's figures and an outcome. Conditions are structured JSON, never code:
 *   {"all": [C, …]}  {"any": [C, …]}  {"not": C}
 *   {"field": F, "op": "eq"|"ne"|"lt"|"lte"|"gt"|"gte"|"in", "value": V}
 * F is one of the facts of board_unit_facts(): status, rank, category_rank,
 * rank_from_bottom, score, completion, completion.<metric>, certified.<metric>,
 * reported.<metric>, target.<metric>, annual_target.<metric>, campaign_targets_met,
 * annual_targets_met, all_targets_met. A fact that is null (no target) makes its
 * comparison false. Evaluation only proposes: the office approves or dismisses. */
#ifndef HZ_RULES_H
#define HZ_RULES_H
#include <jansson.h>
#include "db/db.h"
#include "domain/role.h"

/* HZ_OK or HZ_EINVAL naming the offending part as field "condition" (pure). */
int rules_check_condition(json_t *cond, HzErr *e);
/* 1 when the unit's facts satisfy the condition (pure). */
int rules_match(json_t *cond, json_t *facts);
/* The default rules of a new campaign (R-RULE-1 … R-RULE-5), as rule bodies. */
json_t *rules_defaults(void);
/* Evaluates the rules triggered by a checkpoint as of its date; stores new proposals
 * (re-evaluating adds nothing). *out = {created, existing, proposals:[…]}. */
int rules_evaluate_checkpoint(Db *db, const Actor *a, int64_t checkpoint_id, json_t **out, HzErr *e);
/* What evaluating the checkpoint would propose if it were evaluated today; stores nothing. */
int rules_early_warning(Db *db, const Actor *a, int64_t checkpoint_id, json_t **out, HzErr *e);
/* Proposals of the bulletin rules for a bulletin's frozen figures (facts), which are
 * those of day as_of (the period end). */
int rules_evaluate_bulletin(Db *db, const Actor *a, int64_t campaign_id, int64_t bulletin_id, json_t *facts,
                            int as_of, json_t **proposals, HzErr *e);
/* approve = 1 approves, 0 dismisses; body {"note": …}. Office only. */
int rules_decide(Db *db, const Actor *a, int64_t proposal_id, int approve, json_t *body, json_t **out, HzErr *e);

#endif
