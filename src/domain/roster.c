#include "domain/roster.h"
#include "domain/record.h"
#include "store/record_store.h"
#include "store/workflow_store.h"
#include "util/timeutil.h"
#include <string.h>

const char *roster_proposal(int in_team, int64_t leads, int64_t followed) {
  if (in_team) return leads > 0 || followed > 0 ? "keep" : "drop";
  return leads > 0 ? "add" : NULL;
}

int roster_review(Db *db, const Actor *a, int64_t team_id, const char *from, const char *to, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *team = NULL, *camp = NULL, *rows = NULL;
  int rc = record_read(db, a, resource_find("teams"), team_id, &team, e);
  if (!rc) rc = record_store_get(db, resource_find("campaigns"), json_integer_value(json_object_get(team, "campaign_id")), 0,
                                 &camp, e);
  char today[DATE_LEN];
  date_format(date_today(), today);
  if (!from && camp) from = json_string_value(json_object_get(camp, "start_date"));
  if (!to) to = today;
  if (!rc && (date_parse(from, NULL) || date_parse(to, NULL)))
    rc = hz_fail(e, HZ_EINVAL, date_parse(from, NULL) ? "from" : "to", "日期应为 YYYY-MM-DD 格式的真实日期");
  if (!rc && strcmp(from, to) > 0) rc = hz_fail(e, HZ_EINVAL, "from", "开始日期不能晚于结束日期");
  if (!rc) rc = workflow_store_roster(db, team_id, from, to, &rows, e);
  if (!rc) {
    json_t *members = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
      const char *p = roster_proposal(json_is_true(json_object_get(r, "in_team")),
                                      json_integer_value(json_object_get(r, "leads")),
                                      json_integer_value(json_object_get(r, "followed")));
      if (!p) continue;
      json_object_set_new(r, "proposal", json_string(p));
      json_array_append(members, r);
    }
    *out = json_pack("{s:O s:s s:s s:o}", "team", team, "from", from, "to", to, "members", members);
  }
  json_decref(team);
  json_decref(camp);
  json_decref(rows);
  return rc;
}
