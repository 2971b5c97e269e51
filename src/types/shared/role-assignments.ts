import type { SyncOptions } from "../../config/config.js";
import type { OktaGroupsApi, OktaRoleAssignment, OktaRolesApi, OktaUsersApi } from "../../okta/index.js";
import type { SyncCallContext } from "../../protocol/resource-syncer.js";
import { clientIdOf, isServiceApp } from "../service-app/service-app-mappers.js";
import type { ServiceAppOktaApi } from "../service-app/service-app-okta.js";
import { allPages } from "./cursor.js";
import { createEmailFilter } from "./email-filter.js";
import { forEachLimited } from "./for-each-limited.js";
import { isOktaFailure } from "./provisioning.js";

/**
 * Every admin role assignment of the org, read once and shared by the `role` and `custom-role`
 * syncers. baton-okta re-reads all assignees once per role resource (10+ times); here one pass costs:
 *   ⌈admins / 100⌉ calls to /iam/assignees/users (the only bulk listing Okta offers),
 * + one /users/{id}/roles per user holding a role directly (Okta has no bulk answer for what they hold),
 * + ⌈groups / 200⌉ calls to /groups plus one /groups/{id}/roles per group (no bulk answer for groups),
 * + ⌈apps / 200⌉ calls to /apps plus one /oauth2/v1/clients/{id}/roles per OAuth service app (no bulk
 *   answer for clients either: /iam/assignees lists users only).
 * That is the minimum the API allows. The index is rebuilt when a role listing starts afresh (a new
 * sync) or after MAX_AGE_MS, so page tokens stay valid across restarts (they only hold offsets).
 */
export interface RoleHolders {
  /** Okta's label for the role, from an assignment. */
  readonly label: string;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** OAuth service apps, by client id. */
  readonly clients: readonly string[];
}

export interface RoleAssignmentIndex {
  /** Standard roles by type (SUPER_ADMIN, …), principals sorted by id. */
  readonly standard: ReadonlyMap<string, RoleHolders>;
  /** Custom roles by id (cr0…). */
  readonly custom: ReadonlyMap<string, RoleHolders>;
}

export interface RoleAssignmentsDeps {
  readonly roles: Pick<OktaRolesApi, "listRoleAssigneeUsers" | "listUserRoles" | "listGroupRoles">;
  readonly groups: Pick<OktaGroupsApi, "listGroups">;
  readonly users: Pick<OktaUsersApi, "getUser">;
  /** The service apps and their roles; without it, no client's role is read (and none is reported). */
  readonly clients?: Pick<ServiceAppOktaApi, "listApps" | "listClientRoles"> | undefined;
  readonly options: SyncOptions;
  /** Parallel per-principal role reads; Okta's concurrency limit is per org, so keep this small. */
  readonly concurrency?: number;
}

export const MAX_AGE_MS = 30 * 60 * 1000;

export interface RoleAssignmentsSource {
  /**
   * The index, built on first use; `fresh` forces a rebuild (a new role listing is starting), and so
   * does a call of another sync than the one the index was built for (ctx.activeSyncId): a targeted
   * sync reads a role with GetResource and ListGrants, no listing, after changes the index predates.
   */
  load(ctx: SyncCallContext, options?: { fresh?: boolean }): Promise<RoleAssignmentIndex>;
  /** Drops the index after a role was assigned or unassigned, so the next listing shows the change. */
  invalidate(): void;
}

export function createRoleAssignmentsSource(deps: RoleAssignmentsDeps): RoleAssignmentsSource {
  let cached: { builtAt: number; syncId: string | undefined; index: Promise<RoleAssignmentIndex> } | undefined;
  return {
    load(ctx, options = {}) {
      // A call naming no sync (grpcurl, an engine that sends none) takes whatever index there is.
      const otherSync = ctx.activeSyncId !== undefined && ctx.activeSyncId !== cached?.syncId;
      if (!cached || options.fresh || otherSync || Date.now() - cached.builtAt > MAX_AGE_MS) {
        const entry = { builtAt: Date.now(), syncId: ctx.activeSyncId, index: buildIndex(deps, ctx) };
        cached = entry;
        // A failed or cancelled build must not be served to the next caller.
        entry.index.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.index;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function buildIndex(deps: RoleAssignmentsDeps, ctx: SyncCallContext): Promise<RoleAssignmentIndex> {
  type Holders = { label: string; users: Set<string>; groups: Set<string>; clients: Set<string> };
  const standard = new Map<string, Holders>();
  const custom = new Map<string, Holders>();
  const record = (a: OktaRoleAssignment, principal: "users" | "groups" | "clients", id: string) => {
    if (a.status === "INACTIVE") return;
    const isCustom = a.type === "CUSTOM";
    if (isCustom && !deps.options.syncCustomRoles) return;
    const key = isCustom ? a.role : a.type;
    if (!key) return;
    const map = isCustom ? custom : standard;
    let holders = map.get(key);
    if (!holders) map.set(key, (holders = { label: a.label ?? key, users: new Set(), groups: new Set(), clients: new Set() }));
    holders[principal].add(id);
  };
  const limit = deps.concurrency ?? 4;
  // A principal deleted between the listing that named it and the read of its roles holds none: a
  // 404 there is the org changing under the read, not a failure of it.
  const orNone = async <T>(read: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await read();
    } catch (error) {
      if (isOktaFailure(error, "not-found")) return [];
      throw error;
    }
  };
  const keep = createEmailFilter(deps.options.filterEmailDomains);
  const filtering = deps.options.filterEmailDomains.length > 0;

  const adminIds = await allPages("GET /api/v1/iam/assignees/users", (after) => deps.roles.listRoleAssigneeUsers({ after, signal: ctx.signal }));
  await forEachLimited(adminIds.map((u) => u.id), limit, async (userId) => {
    await ctx.whenWanted?.();
    if (filtering) {
      const [user] = await orNone(async () => [await deps.users.getUser(userId, { signal: ctx.signal })]);
      if (!user || !keep(user.profile)) return;
    }
    const roles = await orNone(() => allPages(`GET /api/v1/users/${userId}/roles`, (after) => deps.roles.listUserRoles(userId, { after, signal: ctx.signal })));
    // A user's list also shows the roles of its groups (assignmentType GROUP); those are the group's grants.
    for (const a of roles) if ((a.assignmentType ?? "USER") === "USER") record(a, "users", userId);
  });

  const groups = await allPages("GET /api/v1/groups", (after) => deps.groups.listGroups({ after, signal: ctx.signal }));
  const candidates = groups.filter((g) => !(deps.options.skipAppGroups && g.type === "APP_GROUP")).map((g) => g.id);
  await forEachLimited(candidates, limit, async (groupId) => {
    await ctx.whenWanted?.();
    const roles = await orNone(() => allPages(`GET /api/v1/groups/${groupId}/roles`, (after) => deps.roles.listGroupRoles(groupId, { after, signal: ctx.signal })));
    for (const a of roles) if ((a.assignmentType ?? "GROUP") === "GROUP") record(a, "groups", groupId);
  });

  const clients = deps.clients;
  if (clients) {
    const apps = await allPages("GET /api/v1/apps", (after) => clients.listApps({ after, signal: ctx.signal }));
    await forEachLimited(apps.filter(isServiceApp).map(clientIdOf), limit, async (clientId) => {
      await ctx.whenWanted?.();
      const roles = await orNone(() => allPages(`GET /oauth2/v1/clients/${clientId}/roles`, (after) => clients.listClientRoles(clientId, { after, signal: ctx.signal })));
      for (const a of roles) if ((a.assignmentType ?? "CLIENT") === "CLIENT") record(a, "clients", clientId);
    });
  }

  const freeze = (map: typeof standard) =>
    new Map([...map].map(([k, v]) => [k, { label: v.label, users: [...v.users].sort(), groups: [...v.groups].sort(), clients: [...v.clients].sort() }]));
  return { standard: freeze(standard), custom: freeze(custom) };
}
