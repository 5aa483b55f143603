/* The project stage machine of SPEC §2:
 *   lead -> negotiating -> signed -> started -> completed, or dropped from any stage
 *   before completed. A move may skip stages only when it carries the evidence of every
 *   stage it passes (contract for signed, start date for started, completion date for
 *   completed). Pure logic: no database. */
#ifndef HZ_STAGE_H
#define HZ_STAGE_H
#include <stdint.h>
#include "domain/choice.h"
#include "util/err.h"

typedef enum {
  STAGE_LEAD = 0,
  STAGE_NEGOTIATING,
  STAGE_SIGNED,
  STAGE_STARTED,
  STAGE_COMPLETED,
  STAGE_DROPPED,
  STAGE_COUNT
} Stage;

/* Evidence carried by a move; NULL / negative = not given. */
typedef struct {
  const char *date;            /* when the move happened (required) */
  const char *contract_date;   /* signed */
  int64_t contract_value;      /* signed, yuan; -1 = not given */
  const char *start_date;      /* started */
  const char *completion_date; /* completed */
  const char *reason;          /* dropped */
} StageEvidence;

/* Every stage in Stage order with its label, ending with {0}: the projects' stage field
 * and the stage changes' from/to fields use this table (to_stage: stage_choices + 1). */
extern const Choice stage_choices[STAGE_COUNT + 1];

int stage_parse(const char *s); /* Stage, or -1 */
const char *stage_name(int stage);
const char *stage_label_zh(int stage);
/* Checks a move from -> to with its evidence. HZ_OK, or HZ_ERULE naming the missing
 * evidence field (or "to_stage" for a move the machine does not allow). Dates are
 * checked for order too: contract <= start <= completion. */
int stage_check_move(int from, int to, const StageEvidence *ev, HzErr *e);
/* The evidence date of stage `to` in a move (contract, start or completion date), i.e. the
 * day the project reached that stage; NULL for negotiating or dropped, which carry no
 * evidence (a negotiating move may be recorded after the signing it led to). Points into ev. */
const char *stage_entry_date(int to, const StageEvidence *ev);
/* Checks that none of a move's evidence dates (contract, start, completion) lies before
 * `since` (NULL: no limit); `what` names that day in the message, e.g. "项目信息登记日期".
 * HZ_OK, or HZ_ERULE naming the offending field. */
int stage_check_since(const StageEvidence *ev, const char *since, const char *what, HzErr *e);
/* True when a move from -> to passes through (or lands on) stage s. */
int stage_move_passes(int from, int to, int s);

#endif
