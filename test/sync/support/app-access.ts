import type { GroundTruth } from "../../fake-okta/index.js";
import type { CollectedGrant, CollectedSync } from "../../support/sync-helpers.js";

/**
 * The app grants an engine holds after baton-sdk's expansion (baton-protocol.md §8.6), computed from a
 * collected sync, and Okta's app users for the same users, computed from the ground truth alone. The
 * two must be equal under every flag (issue 13 item 1); neither uses expected-sync.ts.
 */

/** `app:{id}:access:user:{uid}` → sources (entitlement id → is_direct), or null for none. */
export type AppAccess = Map<string, Readonly<Record<string, boolean>> | null>;

/**
 * Applies shallow GrantExpandable on `app:*:access` group grants the way baton-sdk v0.25.0 does: each
 * direct holder of `group:G:member` gets a derived grant (sources {group:G:member: true}), and a grant
 * the connector already returned gets the sources stamped (itself as direct, then the group).
 */
export function appAccessAfterExpansion(sync: CollectedSync): AppAccess {
  const access: AppAccess = new Map();
  const isAppUserGrant = (g: CollectedGrant) => g.entitlementId.startsWith("app:") && g.principalType === "user";
  for (const g of sync.grants) if (isAppUserGrant(g)) access.set(g.id, g.sources ?? null);
  const members = new Map<string, { id: string; direct: boolean }[]>();
  for (const g of sync.grants) {
    if (!g.entitlementId.startsWith("group:") || g.principalType !== "user") continue;
    const list = members.get(g.entitlementId) ?? [];
    // Shallow expansion propagates only direct holders: no sources, or a self entry.
    list.push({ id: g.principalId, direct: g.sources === undefined || g.sources[g.entitlementId] !== undefined });
    members.set(g.entitlementId, list);
  }
  for (const g of sync.grants) {
    if (!g.entitlementId.startsWith("app:") || g.principalType !== "group" || g.expandsTo === undefined) continue;
    for (const source of g.expandsTo) {
      for (const member of members.get(source) ?? []) {
        if (!member.direct) continue;
        const id = `${g.entitlementId}:user:${member.id}`;
        const existing = access.get(id);
        if (existing === undefined) access.set(id, { [source]: true });
        else access.set(id, { ...(existing ?? { [g.entitlementId]: true }), [source]: true });
      }
    }
  }
  return access;
}

/**
 * Okta's app users (`/apps/{id}/users`, both scopes) of the synced apps, for the users the sync holds,
 * with the sources a reviewer must see: scope GROUP names only the groups (`group:G:member`), scope
 * USER is direct (itself), plus the groups it also comes through.
 */
export function oktaAppAccess(truth: GroundTruth, sync: CollectedSync): AppAccess {
  const users = new Set(sync.resources.filter((r) => r.id?.resourceType === "user").map((r) => r.id!.resource));
  const apps = new Set(sync.resources.filter((r) => r.id?.resourceType === "app").map((r) => r.id!.resource));
  const access: AppAccess = new Map();
  for (const app of truth.apps) {
    if (!apps.has(app.id)) continue;
    const entitlement = `app:${app.id}:access`;
    for (const u of app.users) {
      if (!users.has(u.userId)) continue;
      const groups = Object.fromEntries(u.groupIds.map((g) => [`group:${g}:member`, true]));
      const sources = u.scope === "GROUP" ? groups : u.groupIds.length > 0 ? { [entitlement]: true, ...groups } : null;
      access.set(`${entitlement}:user:${u.userId}`, sources);
    }
  }
  return access;
}

/** The differences between two AppAccess maps, sampled, for one readable assertion. */
export function appAccessDiff(actual: AppAccess, expected: AppAccess) {
  const norm = (s: Readonly<Record<string, boolean>> | null | undefined) => (s ? JSON.stringify(Object.entries(s).sort(([a], [b]) => a.localeCompare(b))) : "none");
  const missing = [...expected.keys()].filter((id) => !actual.has(id));
  const extra = [...actual.keys()].filter((id) => !expected.has(id));
  const wrongSources = [...expected].filter(([id, s]) => actual.has(id) && norm(actual.get(id)) !== norm(s)).map(([id, s]) => ({ id, got: norm(actual.get(id)), want: norm(s) }));
  return { missing: missing.length, extra: extra.length, wrongSources: wrongSources.length, sample: { missing: missing.slice(0, 3), extra: extra.slice(0, 3), wrongSources: wrongSources.slice(0, 2) } };
}
