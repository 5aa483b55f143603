/* The working-rhythm collections (resources_workflow.c), listed in resources[]. */
#ifndef HZ_RESOURCES_WORKFLOW_H
#define HZ_RESOURCES_WORKFLOW_H
#include "domain/resource.h"

extern const Resource resource_weekly_reports, resource_coordination_items, resource_inspections, resource_bulletins,
    resource_rules, resource_proposals, resource_admonitions, resource_notifications;
/* Campaign `after` hook: installs the default rules of a new campaign. */
int campaign_install_rules(RecordCtx *c);

#endif
