import type { IdFactory } from "../core/okta-ids.js";
import type { SystemLog } from "./system-log.js";
import type {
  ApiTokenRecord, AppRecord, CustomRoleRecord, DeviceRecord, GroupRecord, GroupRuleRecord, OrgInfo, ResourceSetRecord, RoleAssignmentRecord, UserRecord,
} from "./types.js";

/**
 * The mutable state the stores share: the generated records plus their indexes. Every mutation calls
 * `touch()`, which bumps `version`, so derived views (an app's user list) know when to recompute.
 */
export interface OrgState {
  readonly info: OrgInfo;
  readonly users: UserRecord[];
  /** Every id ever used, deleted users included, so an `after` cursor naming a deleted user still works. */
  readonly userIndexById: Map<string, number>;
  /** Lower-cased login → index, live users only. */
  readonly userIndexByLogin: Map<string, number>;
  readonly groups: GroupRecord[];
  readonly groupById: Map<string, GroupRecord>;
  readonly apps: AppRecord[];
  readonly appById: Map<string, AppRecord>;
  roleAssignments: RoleAssignmentRecord[];
  readonly customRoles: CustomRoleRecord[];
  readonly resourceSets: ResourceSetRecord[];
  readonly devices: DeviceRecord[];
  readonly factorEligible: Uint8Array;
  readonly apiTokens: ApiTokenRecord[];
  readonly groupRules: GroupRuleRecord[];
  readonly log: SystemLog;
  /** Mints ids for objects created at run time (a seeded stream: the same calls give the same ids). */
  readonly ids: IdFactory;
  now(): number;
  version: number;
  searchLagMs: number;
  touch(): void;
}

/** Looks up a live (not deleted) user by id. */
export function liveUser(state: OrgState, id: string): UserRecord | undefined {
  const index = state.userIndexById.get(id);
  const user = index === undefined ? undefined : state.users[index];
  return user && !user.deleted ? user : undefined;
}

/** Looks up a live group by id. */
export function liveGroup(state: OrgState, id: string): GroupRecord | undefined {
  const group = state.groupById.get(id);
  return group && !group.deleted ? group : undefined;
}
