import type { GroundTruth } from "../../fake-okta/index.js";

/**
 * Who holds what in the simulated org, as keys: the part of the org Grant and Revoke change. Group
 * memberships, app assignments (users with their scope, and groups), standard roles and custom-role
 * binding members.
 */
export function accessOf(now: GroundTruth): Set<string> {
  const keys = new Set<string>();
  for (const g of now.groups) for (const m of g.memberIds) keys.add(`group:${g.id}:member:${m}`);
  for (const a of now.apps) for (const u of a.users) keys.add(`app:${a.id}:user:${u.userId}:${u.scope}`);
  for (const a of now.apps) for (const g of a.groups) keys.add(`app:${a.id}:group:${g.groupId}`);
  for (const r of now.roleAssignments) keys.add(`role:${r.type}:${r.assigneeId}`);
  for (const b of now.bindings) for (const m of b.members) keys.add(`binding:${b.resourceSetId}:${b.roleId}:${m.assigneeId}`);
  return keys;
}

/** The keys `after` gained and lost against `before`, sorted. */
export function difference(after: Set<string>, before: Set<string>): { added: string[]; removed: string[] } {
  return { added: [...after].filter((k) => !before.has(k)).sort(), removed: [...before].filter((k) => !after.has(k)).sort() };
}

/**
 * {@link accessOf} without what follows from the rest: an app's group assignment also lists each
 * member of the group as a GROUP-scope app user, so a membership or app-group change moves those too.
 */
export function directAccessOf(now: GroundTruth): Set<string> {
  return new Set([...accessOf(now)].filter((k) => !k.endsWith(":GROUP")));
}
