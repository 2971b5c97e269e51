import { createIdFactory } from "../core/okta-ids.js";
import { createPrng } from "../core/prng.js";
import { createApiTokenStore, type ApiTokenStore } from "./api-tokens.js";
import { createAppStore, type AppStore } from "./apps.js";
import { createDeviceStore, type DeviceStore } from "./devices.js";
import { createFactorStore, type FactorStore } from "./factors.js";
import { createGroupRuleStore, type GroupRuleStore } from "./group-rules.js";
import { createGroupStore, type GroupStore } from "./groups.js";
import { createRoleStore, type RoleStore } from "./roles.js";
import type { OrgState } from "./state.js";
import { createSystemLog, type SystemLog } from "./system-log.js";
import type { AppRecord, GroupRecord, OrgData, OrgInfo, UserRecord, UserStatus } from "./types.js";
import { createUserStore, type UserStore } from "./users.js";

/**
 * The simulated org in memory: generated data plus the stores that query and change it. Handlers and
 * tests share it; a test that changes it through here (say, adds a member out of band) is seen by the
 * next API call, and its writes are logged with the simulator as actor.
 */
export interface Org {
  readonly info: OrgInfo;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly apps: AppStore;
  readonly roles: RoleStore;
  readonly devices: DeviceStore;
  readonly factors: FactorStore;
  readonly apiTokens: ApiTokenStore;
  readonly groupRules: GroupRuleStore;
  readonly log: SystemLog;
  now(): number;
  /** Bumped by every write. */
  version(): number;
  /** How long `search` lags behind writes (the eventual-consistency fault). */
  setSearchLag(ms: number): void;
  /** A live user by id or login; throws when there is none. */
  user(idOrLogin: string): UserRecord;
  /** A live group by id; throws when there is none. */
  group(id: string): GroupRecord;
  /** An app by id; throws when there is none. */
  app(id: string): AppRecord;
  /** Sets a status without lifecycle rules or log events, to stage a case (e.g. a user mid-RECOVERY). */
  forceUserStatus(idOrLogin: string, status: UserStatus): void;
}

/** Wraps generated data; `now` is the clock for writes (the wall clock unless a test injects one). */
export function createOrg(data: OrgData, options: { now?: () => number } = {}): Org {
  const now = options.now ?? Date.now;
  const usedIds = new Set<string>();
  const state: OrgState = {
    info: data.info,
    users: data.users,
    userIndexById: new Map(data.users.map((u) => [u.id, u.index])),
    userIndexByLogin: new Map(data.users.filter((u) => !u.deleted).map((u) => [u.profile.login.toLowerCase(), u.index])),
    groups: data.groups,
    groupById: new Map(data.groups.map((g) => [g.id, g])),
    apps: data.apps,
    appById: new Map(data.apps.map((a) => [a.id, a])),
    roleAssignments: data.roleAssignments,
    customRoles: data.customRoles,
    resourceSets: data.resourceSets,
    devices: data.devices,
    factorEligible: data.factorEligible,
    apiTokens: data.apiTokens,
    groupRules: data.groupRules,
    log: createSystemLog({ now }),
    ids: createIdFactory(createPrng(data.info.seed, "runtime-ids"), usedIds),
    now,
    version: 0,
    searchLagMs: 0,
    touch() {
      state.version++;
    },
  };
  for (const id of state.userIndexById.keys()) usedIds.add(id);
  for (const id of state.groupById.keys()) usedIds.add(id);
  for (const id of state.appById.keys()) usedIds.add(id);
  for (const d of state.devices) usedIds.add(d.id);
  for (const t of state.apiTokens) usedIds.add(t.id);
  for (const r of state.groupRules) usedIds.add(r.id);

  const roles = createRoleStore(state);
  let apps: AppStore | undefined;
  let groupRules: GroupRuleStore | undefined;
  const groups = createGroupStore(state, {
    deleted(group) {
      apps?.forgetGroup(group);
      roles.forgetPrincipal({ principalType: "GROUP", principalId: group.id });
    },
    memberRemoved: (group, user) => groupRules?.memberRemoved(group, user),
  });
  groupRules = createGroupRuleStore(state, (group, user) => groups.isMember(group, user));
  apps = createAppStore(state, (group, user) => groups.isMember(group, user));
  const appStore = apps;
  const users = createUserStore(state, {
    addToGroups(user, groupIds, actor) {
      for (const id of groupIds) {
        const group = groups.get(id);
        if (group) groups.addMember(group, user, actor);
      }
    },
    deactivated: (user, actor) => appStore.deprovisionUser(user, actor),
    deleted(user) {
      for (const group of state.groups) group.members.delete(user.index);
      appStore.forgetUser(user);
      roles.forgetPrincipal({ principalType: "USER", principalId: user.id });
    },
  });

  return {
    info: data.info,
    users,
    groups,
    apps: appStore,
    roles,
    devices: createDeviceStore(state),
    factors: createFactorStore(state),
    apiTokens: createApiTokenStore(state),
    groupRules,
    log: state.log,
    now,
    version: () => state.version,
    setSearchLag(ms) {
      state.searchLagMs = ms;
    },
    user(idOrLogin) {
      const user = users.find(idOrLogin);
      if (!user) throw new Error(`no live user ${idOrLogin}`);
      return user;
    },
    group(id) {
      const group = groups.get(id);
      if (!group) throw new Error(`no live group ${id}`);
      return group;
    },
    app(id) {
      const app = appStore.get(id);
      if (!app) throw new Error(`no app ${id}`);
      return app;
    },
    forceUserStatus(idOrLogin, status) {
      const user = users.find(idOrLogin);
      if (!user) throw new Error(`no live user ${idOrLogin}`);
      user.status = status;
      user.statusChanged = now();
      user.lastUpdated = now();
      state.touch();
    },
  };
}
