import type { OktaAppGroup, OktaAppsApi, OktaGroupsApi } from "../../okta/index.js";
import type { SyncCallContext } from "../../protocol/resource-syncer.js";
import { allPages, loopGuard } from "../shared/cursor.js";

/**
 * Which of an app's assigned groups each user belongs to, for attributing group-derived app access
 * when the connector writes it itself (app.ts). Okta's app user says only `scope: GROUP` and links one
 * group (the highest-priority one), and `/users/{id}/groups` would cost a call per user, so the index
 * costs instead, once per app and sync:
 *   ⌈assigned groups / 200⌉ calls to /apps/{id}/groups (expand=group, for the group type)
 * + Σ ⌈members / 1000⌉ calls to /groups/{gid}/users over the assigned groups except BUILT_IN ones
 *   (Everyone holds every user, so it needs no listing).
 * It is built when an app's user listing starts and kept in memory while later pages of the same
 * listing are served (page tokens hold only Okta offsets; a restarted server rebuilds it).
 */
export interface AppGroupMembers {
  /** The app's assigned groups `userId` is a member of, by assignment priority. */
  groupsOf(userId: string): readonly string[];
}

export interface AppGroupMembersDeps {
  readonly apps: Pick<OktaAppsApi, "listAppGroups">;
  readonly groups: Pick<OktaGroupsApi, "listGroupMembers">;
}

export interface AppGroupMembersSource {
  /** The index of `appId`; `fresh` rebuilds it (a user listing is starting). */
  load(appId: string, ctx: SyncCallContext, options?: { fresh?: boolean }): Promise<AppGroupMembers>;
  /** Forgets `appId` once its user listing has ended. */
  drop(appId: string): void;
}

/** An index left behind by an abandoned listing is dropped after this long. */
export const APP_GROUP_MEMBERS_MAX_AGE_MS = 30 * 60 * 1000;

export function createAppGroupMembersSource(deps: AppGroupMembersDeps): AppGroupMembersSource {
  const cache = new Map<string, { builtAt: number; index: Promise<AppGroupMembers> }>();
  return {
    load(appId, ctx, options = {}) {
      const now = Date.now();
      for (const [id, entry] of cache) if (now - entry.builtAt > APP_GROUP_MEMBERS_MAX_AGE_MS) cache.delete(id);
      const hit = cache.get(appId);
      if (hit && !options.fresh) return hit.index;
      const entry = { builtAt: now, index: buildIndex(deps, appId, ctx) };
      cache.set(appId, entry);
      // A failed or cancelled build must not be served to the next page.
      entry.index.catch(() => {
        if (cache.get(appId) === entry) cache.delete(appId);
      });
      return entry.index;
    },
    drop(appId) {
      cache.delete(appId);
    },
  };
}

async function buildIndex(deps: AppGroupMembersDeps, appId: string, ctx: SyncCallContext): Promise<AppGroupMembers> {
  const assigned = (await allPages(`GET /api/v1/apps/${appId}/groups`, (after) => deps.apps.listAppGroups(appId, { after, signal: ctx.signal, expandGroup: true })))
    .map((g, order) => ({ id: g.id, priority: typeof g.priority === "number" ? g.priority : Number.MAX_SAFE_INTEGER, order, everyone: isBuiltIn(g) }))
    .sort((a, b) => a.priority - b.priority || a.order - b.order);
  const memberOf = new Map<string, Set<string>>();
  for (const group of assigned) {
    if (group.everyone) continue;
    const guard = loopGuard(`GET /api/v1/groups/${group.id}/users`);
    let after: string | undefined;
    do {
      const page = await deps.groups.listGroupMembers(group.id, { after, signal: ctx.signal });
      for (const user of page.items) {
        let groups = memberOf.get(user.id);
        if (!groups) memberOf.set(user.id, (groups = new Set()));
        groups.add(group.id);
      }
      after = guard(page.after);
    } while (after !== undefined);
  }
  return {
    groupsOf(userId) {
      const groups = memberOf.get(userId);
      return assigned.filter((g) => g.everyone || groups?.has(g.id) === true).map((g) => g.id);
    },
  };
}

function isBuiltIn(group: OktaAppGroup): boolean {
  const embedded = group._embedded?.["group"] as { type?: unknown } | undefined;
  return embedded?.type === "BUILT_IN";
}
