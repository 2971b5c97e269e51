import { createPrng, type Prng } from "../core/prng.js";
import { appTarget, groupTarget, userTarget } from "./log-targets.js";
import type { Org } from "./org.js";
import type { PrincipalRef } from "./roles.js";
import { SYSTEM_ACTOR, type LogActor, type LogTarget } from "./system-log.js";
import { STANDARD_ROLE_TYPES, type AppRecord, type GroupRecord, type UserRecord } from "./types.js";

/** The kinds of change churn makes, each through the store method the matching API route calls. */
export const CHURN_KINDS = [
  "membership.add", "membership.remove",
  "app-user.add", "app-user.remove", "app-user.update",
  "app-group.add", "app-group.remove", "app-group.update",
  "role.grant", "role.revoke", "binding.add", "binding.remove",
  "user.create", "user.activate", "user.deactivate", "user.suspend", "user.unsuspend", "user.reactivate", "user.unlock", "user.delete",
  "user.profile", "user.password",
  "group.create", "group.update", "group.delete",
  "app.create", "app.update", "app.activate", "app.deactivate", "app.delete",
] as const;
export type ChurnKind = (typeof CHURN_KINDS)[number];

/** One change churn made: what, on which objects, and the System Log events it appended (by seq). */
export interface ChurnChange {
  kind: ChurnKind;
  /** Ids of what changed: userId, groupId, appId, principal, assignmentId, … as the kind needs. */
  subject: Record<string, string>;
  /** Seqs of the events the change appended (at least one). */
  eventSeqs: number[];
}

/** Relative frequency: memberships and assignments are the bulk of an org's changes, deletions are rare. */
const WEIGHTS: Record<ChurnKind, number> = {
  "membership.add": 12, "membership.remove": 8,
  "app-user.add": 6, "app-user.remove": 4, "app-user.update": 2,
  "app-group.add": 3, "app-group.remove": 2, "app-group.update": 1,
  "role.grant": 3, "role.revoke": 2, "binding.add": 2, "binding.remove": 2,
  "user.create": 3, "user.activate": 1, "user.deactivate": 2, "user.suspend": 1, "user.unsuspend": 1, "user.reactivate": 1, "user.unlock": 1, "user.delete": 1,
  "user.profile": 4, "user.password": 1,
  "group.create": 2, "group.update": 1, "group.delete": 1,
  "app.create": 1, "app.update": 1, "app.activate": 1, "app.deactivate": 1, "app.delete": 1,
};

/** Makes random, realistic changes to an org. */
export interface Churn {
  /** Makes exactly `count` changes now (throws if the org allows none, e.g. an empty org with no users). */
  run(count: number): ChurnChange[];
  /** Every change made so far, oldest first. */
  history(): readonly ChurnChange[];
}

/**
 * Churn over `org`, from its own PRNG stream: the same seed, org and sequence of calls make the same
 * changes. Each change goes through the store method the API's route uses, so it appends the events
 * Okta writes and changes the ground truth. The actor is the org's first ACTIVE super admin, as if an
 * administrator were at work in the console (the simulator when there is none).
 */
export function createChurn(org: Org, seed: number): Churn {
  const prng = createPrng(seed, "churn");
  const history: ChurnChange[] = [];
  let created = 0;
  const kinds = [...CHURN_KINDS];
  const weights = kinds.map((k) => WEIGHTS[k]);

  const actor = (): LogActor => {
    const admin = org.roles.standardAssignments().find((a) => a.type === "SUPER_ADMIN" && a.principalType === "USER" && org.users.get(a.principalId)?.status === "ACTIVE");
    const user = admin ? org.users.get(admin.principalId) : undefined;
    if (!user) return SYSTEM_ACTOR;
    const target = userTarget(user);
    return { id: target.id, type: "User", alternateId: target.alternateId, displayName: target.displayName };
  };

  const attempt = (kind: ChurnKind, who: LogActor): Record<string, string> | null => {
    const users = org.users.all().filter((u) => !u.deleted);
    const okta = org.groups.all().filter((g) => !g.deleted && g.type === "OKTA_GROUP");
    const apps = org.apps.all().filter((a) => a.applicationType !== "service");
    const withStatus = (...statuses: string[]) => users.filter((u) => statuses.includes(u.status));
    const eligible = users.filter((u) => u.status !== "DEPROVISIONED");
    switch (kind) {
      case "membership.add": {
        const group = maybe(prng, okta);
        const user = group && maybe(prng, eligible.filter((u) => !org.groups.isMember(group, u)));
        if (!group || !user) return null;
        return org.groups.addMember(group, user, who) ? { groupId: group.id, userId: user.id } : null;
      }
      case "membership.remove": {
        const group = maybe(prng, okta.filter((g) => org.groups.memberCount(g) > 0));
        const user = group && maybe(prng, users.filter((u) => org.groups.isMember(group, u)));
        if (!group || !user) return null;
        return org.groups.removeMember(group, user, who) ? { groupId: group.id, userId: user.id } : null;
      }
      case "app-user.add": {
        const app = maybe(prng, apps);
        const user = app && maybe(prng, eligible.filter((u) => !app.directUsers.has(u.index)));
        if (!app || !user) return null;
        org.apps.assignUser(app, user, {}, who);
        return { appId: app.id, userId: user.id };
      }
      case "app-user.remove":
      case "app-user.update": {
        const app = maybe(prng, apps.filter((a) => directEligible(org, a).length > 0));
        const user = app && maybe(prng, directEligible(org, app));
        if (!app || !user) return null;
        if (kind === "app-user.remove") org.apps.unassignUser(app, user, who);
        else org.apps.assignUser(app, user, { profile: { churnRevision: prng.int(1_000_000) } }, who);
        return { appId: app.id, userId: user.id };
      }
      case "app-group.add": {
        const app = maybe(prng, apps);
        const group = app && maybe(prng, okta.filter((g) => !app.groupAssignments.has(g.id)));
        if (!app || !group) return null;
        org.apps.assignGroup(app, group, {}, who);
        return { appId: app.id, groupId: group.id };
      }
      case "app-group.remove":
      case "app-group.update": {
        const app = maybe(prng, apps.filter((a) => liveAssignedGroups(org, a).length > 0));
        const group = app && maybe(prng, liveAssignedGroups(org, app));
        if (!app || !group) return null;
        if (kind === "app-group.remove") org.apps.unassignGroup(app, group, who);
        else org.apps.assignGroup(app, group, { priority: prng.int(10) }, who);
        return { appId: app.id, groupId: group.id };
      }
      case "role.grant": {
        // A user only gets a first role: Okta logs nothing for a user's roles in between (see roleCountOf).
        const principal = pickPrincipal(prng, org, withStatus("ACTIVE").filter((u) => roleCountOf(org, u.id) === 0), okta);
        if (!principal) return null;
        const held = new Set(org.roles.assignmentsOf(principal.ref.principalType, principal.ref.principalId).map((a) => a.type));
        const type = maybe(prng, STANDARD_ROLE_TYPES.filter((t) => !held.has(t)));
        if (!type) return null;
        const view = org.roles.assign(principal.ref, { type }, who, principal.target);
        return { principalType: principal.ref.principalType, principalId: principal.ref.principalId, assignmentId: view.id, roleType: type };
      }
      case "role.revoke": {
        const assignment = maybe(prng, org.roles.standardAssignments().filter((a) => a.principalType !== "USER" || (a.type !== "SUPER_ADMIN" && roleCountOf(org, a.principalId) === 1)));
        if (!assignment) return null;
        const ref: PrincipalRef = { principalType: assignment.principalType, principalId: assignment.principalId };
        org.roles.unassign(ref, assignment.id, who, targetOf(org, ref));
        return { principalType: ref.principalType, principalId: ref.principalId, assignmentId: assignment.id, roleType: assignment.type };
      }
      case "binding.add": {
        const set = maybe(prng, org.roles.resourceSets());
        const role = maybe(prng, org.roles.customRoles());
        const principal = pickPrincipal(prng, org, withStatus("ACTIVE"), okta);
        if (!set || !role || !principal) return null;
        const binding = set.bindings.get(role.id);
        if (binding?.members.some((m) => m.principalType === principal.ref.principalType && m.principalId === principal.ref.principalId)) return null;
        const view = org.roles.assign(principal.ref, { type: "CUSTOM", role: role.id, resourceSet: set.id }, who, principal.target);
        return { principalType: principal.ref.principalType, principalId: principal.ref.principalId, resourceSetId: set.id, roleId: role.id, memberId: view.id };
      }
      case "binding.remove": {
        const set = maybe(prng, org.roles.resourceSets().filter((s) => [...s.bindings.values()].some((b) => b.members.length > 0)));
        const binding = set && maybe(prng, [...set.bindings.values()].filter((b) => b.members.length > 0));
        const member = binding && maybe(prng, binding.members);
        if (!set || !binding || !member) return null;
        org.roles.removeBindingMember(set, binding, member.id, who);
        return { principalType: member.principalType, principalId: member.principalId, resourceSetId: set.id, roleId: binding.roleId, memberId: member.id };
      }
      case "user.create": {
        created++;
        const login = `churn.${seed}.${created}.${prng.int(1_000_000)}@${org.info.domain}`;
        const departments = ["Engineering", "Sales", "Finance", "Security", "Support"];
        const user = org.users.create({
          profile: { login, email: login, firstName: "Churn", lastName: `User ${created}`, department: prng.pick(departments), countryCode: prng.pick(["US", "DE", "JP"]) },
          password: prng.chance(0.7), activate: prng.chance(0.85), provider: false, nextLoginChangePassword: false, groupIds: [],
        }, who);
        return { userId: user.id };
      }
      case "user.activate": return lifecycle(prng, org, withStatus("STAGED", "DEPROVISIONED"), "activate", who);
      case "user.deactivate": return lifecycle(prng, org, eligible.filter((u) => !isSuperAdmin(org, u)), "deactivate", who);
      case "user.suspend": return lifecycle(prng, org, withStatus("ACTIVE").filter((u) => !isSuperAdmin(org, u)), "suspend", who);
      case "user.unsuspend": return lifecycle(prng, org, withStatus("SUSPENDED"), "unsuspend", who);
      case "user.reactivate": return lifecycle(prng, org, withStatus("PROVISIONED", "RECOVERY"), "reactivate", who);
      case "user.unlock": return lifecycle(prng, org, withStatus("LOCKED_OUT"), "unlock", who);
      case "user.delete": {
        const user = maybe(prng, withStatus("DEPROVISIONED"));
        if (!user) return null;
        org.users.remove(user, who);
        return { userId: user.id };
      }
      case "user.profile":
      case "user.password": {
        const user = maybe(prng, eligible);
        if (!user) return null;
        if (kind === "user.password") org.users.updateProfile(user, undefined, { replace: false, password: true }, who);
        if (kind === "user.password") return { userId: user.id };
        const profile = { title: prng.pick(["Engineer", "Security Analyst", "Account Executive", "Manager", "Analyst"]), department: prng.pick(["Engineering", "Sales", "Finance", "Security"]) };
        org.users.updateProfile(user, profile, { replace: false, password: false }, who);
        return { userId: user.id, ...profile };
      }
      case "group.create": {
        created++;
        const group = org.groups.create({ name: `Churn Group ${seed}-${created}-${prng.int(1_000_000)}`, description: "Made by churn" }, who);
        return { groupId: group.id };
      }
      case "group.update": {
        const group = maybe(prng, okta);
        if (!group) return null;
        const description = `Revised ${prng.int(1_000_000)}`;
        org.groups.replace(group, { name: group.profile.name, description }, who);
        return { groupId: group.id, description };
      }
      case "group.delete": {
        // What Okta does to a group rule whose target group is deleted is not in our research, so
        // churn leaves rule targets alone rather than invent it.
        const targets = new Set(org.groupRules.all().flatMap((r) => r.groupIds));
        const group = maybe(prng, okta.filter((g) => !targets.has(g.id)));
        if (!group) return null;
        org.groups.remove(group, who);
        return { groupId: group.id };
      }
      case "app.create": {
        created++;
        const app = org.apps.create({ name: "bookmark", label: `Churn Bookmark ${created}`, signOnMode: "BOOKMARK", activate: prng.chance(0.8) }, who);
        return { appId: app.id };
      }
      case "app.update": {
        const app = maybe(prng, apps);
        if (!app) return null;
        const label = `${app.label.replace(/ \(rev \d+\)$/, "")} (rev ${prng.int(1_000_000)})`;
        org.apps.update(app, { label }, who);
        return { appId: app.id, label };
      }
      case "app.activate":
      case "app.deactivate": {
        const app = maybe(prng, apps.filter((a) => a.status === (kind === "app.activate" ? "INACTIVE" : "ACTIVE")));
        if (!app) return null;
        org.apps.setStatus(app, kind === "app.activate" ? "ACTIVE" : "INACTIVE", who);
        return { appId: app.id };
      }
      case "app.delete": {
        const app = maybe(prng, apps.filter((a) => a.status === "INACTIVE"));
        if (!app) return null;
        org.apps.remove(app, who);
        return { appId: app.id };
      }
    }
  };

  return {
    run(count) {
      const made: ChurnChange[] = [];
      const who = actor();
      let misses = 0;
      while (made.length < count) {
        const kind = prng.weighted(kinds, weights);
        const before = org.log.lastSeq();
        const subject = attempt(kind, who);
        const after = org.log.lastSeq();
        if (subject === null || after === before) {
          // Nothing to change for this kind right now (no suspended user, …): draw again.
          if (++misses > 10_000) throw new Error(`churn: the org allows no change (made ${made.length} of ${count})`);
          continue;
        }
        const change: ChurnChange = { kind, subject, eventSeqs: Array.from({ length: after - before }, (_, i) => before + 1 + i) };
        made.push(change);
        history.push(change);
      }
      return made;
    },
    history: () => history,
  };
}

function maybe<T>(prng: Prng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : prng.pick(items);
}

/** Users with a direct assignment who still have access (DEPROVISIONED users are no app users). */
function directEligible(org: Org, app: AppRecord): UserRecord[] {
  const users = org.users.all();
  return [...app.directUsers.keys()].map((i) => users[i] as UserRecord).filter((u) => u && !u.deleted && u.status !== "DEPROVISIONED");
}

function liveAssignedGroups(org: Org, app: AppRecord): GroupRecord[] {
  return [...app.groupAssignments.keys()].map((id) => org.groups.get(id)).filter((g): g is GroupRecord => g !== undefined);
}

/**
 * A user's own roles, standard and custom. Okta logs `user.account.privilege.*` only for a user's first and
 * last role, so churn gives a user a standard role only when it has none and takes one only when it is the
 * last: every change it makes then shows in the log (custom roles always do, as binding changes).
 */
function roleCountOf(org: Org, userId: string): number {
  return org.roles.assignmentsOf("USER", userId).length;
}

/** Keeps the churn actor (the first ACTIVE super admin) and its peers in place so the org keeps an admin. */
function isSuperAdmin(org: Org, user: UserRecord): boolean {
  return org.roles.standardAssignments().some((a) => a.type === "SUPER_ADMIN" && a.principalType === "USER" && a.principalId === user.id);
}

function lifecycle(prng: Prng, org: Org, candidates: UserRecord[], op: "activate" | "deactivate" | "suspend" | "unsuspend" | "reactivate" | "unlock", who: LogActor): Record<string, string> | null {
  const user = maybe(prng, candidates);
  if (!user) return null;
  org.users.lifecycle(user, op, who);
  return { userId: user.id };
}

/** A user (most often), a group or an OAuth service app's client to give a role to. */
function pickPrincipal(prng: Prng, org: Org, users: UserRecord[], groups: GroupRecord[]): { ref: PrincipalRef; target: LogTarget } | undefined {
  const roll = prng.next();
  const clients = org.apps.all().filter((a) => a.applicationType === "service" && a.clientId !== null);
  if (roll < 0.15 && clients.length > 0) {
    const app = prng.pick(clients);
    return { ref: { principalType: "CLIENT", principalId: app.clientId as string }, target: appTarget(app) };
  }
  if (roll < 0.35 && groups.length > 0) {
    const group = prng.pick(groups);
    return { ref: { principalType: "GROUP", principalId: group.id }, target: groupTarget(group) };
  }
  const user = maybe(prng, users);
  return user && { ref: { principalType: "USER", principalId: user.id }, target: userTarget(user) };
}

function targetOf(org: Org, ref: PrincipalRef): LogTarget {
  if (ref.principalType === "USER") return userTarget(org.user(ref.principalId));
  if (ref.principalType === "GROUP") return groupTarget(org.group(ref.principalId));
  const app = org.apps.all().find((a) => a.clientId === ref.principalId);
  if (!app) throw new Error(`no client ${ref.principalId}`);
  return appTarget(app);
}
