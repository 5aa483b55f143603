/* Route handlers, grouped by file. */
#ifndef HZ_ROUTES_H
#define HZ_ROUTES_H
#include "http/http.h"

/* routes_meta.c */
int route_login_info(Request *rq, Response *rs, HzErr *e);
int route_health(Request *rq, Response *rs, HzErr *e);
int route_metrics(Request *rq, Response *rs, HzErr *e);
int route_openapi(Request *rq, Response *rs, HzErr *e);
/* routes_session.c */
int route_session_create(Request *rq, Response *rs, HzErr *e);
int route_session_delete(Request *rq, Response *rs, HzErr *e);
int route_me(Request *rq, Response *rs, HzErr *e);
int route_tokens_list(Request *rq, Response *rs, HzErr *e);
int route_password_change(Request *rq, Response *rs, HzErr *e);
int route_login_events(Request *rq, Response *rs, HzErr *e);
int route_security_policy_get(Request *rq, Response *rs, HzErr *e);
int route_security_policy_update(Request *rq, Response *rs, HzErr *e);
int route_notifications_seen(Request *rq, Response *rs, HzErr *e);
int route_token_create(Request *rq, Response *rs, HzErr *e);
int route_token_revoke(Request *rq, Response *rs, HzErr *e);
/* routes_records.c: every collection of domain/resources.c */
int route_records_list(Request *rq, Response *rs, HzErr *e);
int route_records_create(Request *rq, Response *rs, HzErr *e);
int route_record_read(Request *rq, Response *rs, HzErr *e);
int route_record_update(Request *rq, Response *rs, HzErr *e);
int route_record_delete(Request *rq, Response *rs, HzErr *e);
int route_nested_list(Request *rq, Response *rs, HzErr *e);
int route_nested_create(Request *rq, Response *rs, HzErr *e);
int route_enums(Request *rq, Response *rs, HzErr *e);
/* routes_actions.c */
int route_certify(Request *rq, Response *rs, HzErr *e);
int route_reject(Request *rq, Response *rs, HzErr *e);
int route_target_gaps(Request *rq, Response *rs, HzErr *e);
int route_audit_list(Request *rq, Response *rs, HzErr *e);
int route_audit_get(Request *rq, Response *rs, HzErr *e);
/* routes_imports.c */
int route_import_start(Request *rq, Response *rs, HzErr *e);
int route_import_get(Request *rq, Response *rs, HzErr *e);
int route_import_errors(Request *rq, Response *rs, HzErr *e);
int route_import_template(Request *rq, Response *rs, HzErr *e);
/* routes_attachments.c */
int route_attachment_upload(Request *rq, Response *rs, HzErr *e);
int route_attachment_content(Request *rq, Response *rs, HzErr *e);

/* routes_export.c */
int route_export(Request *rq, Response *rs, HzErr *e);

/* routes_figures.c */
int route_dashboard(Request *rq, Response *rs, HzErr *e);
int route_dashboard_ranking(Request *rq, Response *rs, HzErr *e);
int route_dashboard_matrix(Request *rq, Response *rs, HzErr *e);
int route_progress(Request *rq, Response *rs, HzErr *e);
int route_ranking(Request *rq, Response *rs, HzErr *e);
int route_ranking_unit(Request *rq, Response *rs, HzErr *e);
int route_funnel(Request *rq, Response *rs, HzErr *e);
int route_forecast(Request *rq, Response *rs, HzErr *e);
int route_stale(Request *rq, Response *rs, HzErr *e);
int route_queue(Request *rq, Response *rs, HzErr *e);
int route_duplicates(Request *rq, Response *rs, HzErr *e);
int route_settings_get(Request *rq, Response *rs, HzErr *e);
int route_settings_update(Request *rq, Response *rs, HzErr *e);
int route_snapshots_list(Request *rq, Response *rs, HzErr *e);
int route_snapshot_create(Request *rq, Response *rs, HzErr *e);
int route_snapshot_get(Request *rq, Response *rs, HzErr *e);
int route_snapshot_diff(Request *rq, Response *rs, HzErr *e);
int route_settle_duplicate(Request *rq, Response *rs, HzErr *e);

/* routes_workflow.c */
int route_report_submit(Request *rq, Response *rs, HzErr *e);
int route_report_review(Request *rq, Response *rs, HzErr *e);
int route_report_instruct(Request *rq, Response *rs, HzErr *e);
int route_report_instructions(Request *rq, Response *rs, HzErr *e);
int route_report_status(Request *rq, Response *rs, HzErr *e);
int route_item_advance(Request *rq, Response *rs, HzErr *e);
int route_item_remind(Request *rq, Response *rs, HzErr *e);
int route_bulletin_generate(Request *rq, Response *rs, HzErr *e);
int route_bulletin_publish(Request *rq, Response *rs, HzErr *e);
int route_bulletin_print(Request *rq, Response *rs, HzErr *e);
int route_bulletin_pdf(Request *rq, Response *rs, HzErr *e);
int route_bulletin_xlsx(Request *rq, Response *rs, HzErr *e);
int route_bulletin_instruct(Request *rq, Response *rs, HzErr *e);
int route_bulletin_instructions(Request *rq, Response *rs, HzErr *e);
int route_checkpoint_evaluate(Request *rq, Response *rs, HzErr *e);
int route_checkpoint_warning(Request *rq, Response *rs, HzErr *e);
int route_proposal_approve(Request *rq, Response *rs, HzErr *e);
int route_proposal_dismiss(Request *rq, Response *rs, HzErr *e);
int route_team_roster(Request *rq, Response *rs, HzErr *e);
int route_jobs_list(Request *rq, Response *rs, HzErr *e);
int route_job_update(Request *rq, Response *rs, HzErr *e);
int route_job_run(Request *rq, Response *rs, HzErr *e);
int route_webhook_test(Request *rq, Response *rs, HzErr *e);
int route_webhook_deliveries(Request *rq, Response *rs, HzErr *e);

#endif
