import type { GroundTruth } from "../fake-okta/index.js";

/**
 * The fewest Okta calls that read everything a full sync returns, computed from the simulator's ground
 * truth as Σ ⌈items / max page⌉ over the listings a sync needs (issue 4). Page maxima are the
 * simulator's (okta-api.md §2): users 200, groups 10,000, group members 1,000, apps 200, app users
 * 500, app groups 200, every IAM listing 100, devices 200 (their users come embedded), API tokens 200, group rules 200. Used by the call-count test and the benchmark.
 */
export const MAX_PAGE = { users: 200, groups: 10_000, groupMembers: 1_000, apps: 200, appUsers: 500, appGroups: 200, iam: 100, devices: 200, apiTokens: 200, groupRules: 200 } as const;

const pages = (items: number, max: number): number => Math.max(1, Math.ceil(items / max));

/**
 * By listing, and in total. Custom-role listings count only with syncCustomRoles (default true), the
 * device listing only with syncDevices, the API token listing only with syncSecrets (both default false).
 */
export function minimumOktaCalls(truth: GroundTruth, options: { syncCustomRoles?: boolean; syncDevices?: boolean; syncSecrets?: boolean } = {}) {
  const admins = new Set<string>();
  for (const a of truth.roleAssignments) if (a.assigneeType === "USER") admins.add(a.assigneeId);
  for (const b of truth.bindings) for (const m of b.members) if (m.assigneeType === "USER") admins.add(m.assigneeId);
  const listedUsers = truth.users.filter((u) => u.status !== "DEPROVISIONED").length;
  const custom = options.syncCustomRoles ?? true;
  const byListing = {
    users: pages(listedUsers, MAX_PAGE.users),
    groups: pages(truth.groups.length, MAX_PAGE.groups),
    // expand=stats tells which groups are empty, so those need no member call.
    groupMembers: truth.groups.filter((g) => g.memberIds.length > 0).reduce((n, g) => n + pages(g.memberIds.length, MAX_PAGE.groupMembers), 0),
    apps: pages(truth.apps.length, MAX_PAGE.apps),
    appUsers: truth.apps.reduce((n, a) => n + pages(a.users.length, MAX_PAGE.appUsers), 0),
    appGroups: truth.apps.reduce((n, a) => n + pages(a.groups.length, MAX_PAGE.appGroups), 0),
    roleAssignees: pages(admins.size, MAX_PAGE.iam),
    // No bulk endpoint says which roles a user or a group holds (src/types/shared/role-assignments.ts).
    userRoles: admins.size,
    groupRoles: truth.groups.length,
    // Nor which roles a client holds, and no bulk listing names the clients holding one: one call per
    // OAuth service app (their listing is the app listing's, counted once above).
    clientRoles: truth.apps.filter((a) => a.applicationType === "service").length,
    customRoles: custom ? pages(truth.customRoles.length, MAX_PAGE.iam) : 0,
    resourceSets: custom ? pages(truth.resourceSets.length, MAX_PAGE.iam) : 0,
    bindings: !custom ? 0 : truth.resourceSets.reduce((n, s) => n + pages(truth.bindings.filter((b) => b.resourceSetId === s.id).length, MAX_PAGE.iam), 0),
    bindingMembers: !custom ? 0 : truth.bindings.reduce((n, b) => n + pages(b.members.length, MAX_PAGE.iam), 0),
    // `expand=user` embeds each device's users: no per-device call.
    devices: options.syncDevices ? pages(truth.devices.length, MAX_PAGE.devices) : 0,
    apiTokens: options.syncSecrets ? pages(truth.apiTokens.length, MAX_PAGE.apiTokens) : 0,
    // Group rules are on by default; one read serves the rule resources and the membership sources.
    groupRules: pages(truth.groupRules.length, MAX_PAGE.groupRules),
  };
  return { byListing, total: Object.values(byListing).reduce((a, b) => a + b, 0) };
}
