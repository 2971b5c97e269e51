import { notFound, simError, validationFailed } from "../core/errors.js";
import { appTarget, groupTarget, userTarget } from "./log-targets.js";
import type { OrgState } from "./state.js";
import type { LogActor } from "./system-log.js";
import type { AppRecord, AppStatus, DirectAssignment, GroupAssignment, GroupRecord, UserRecord } from "./types.js";

/** One app user as Okta reports it: scope USER when assigned directly (even if a group also grants it). */
export interface AppUserView {
  user: UserRecord;
  scope: "USER" | "GROUP";
  direct: DirectAssignment | undefined;
  /** The assigned groups the user belongs to, by assignment priority. */
  groups: GroupAssignment[];
}

/** What `POST /api/v1/apps` asks for (the fields the simulator keeps). */
export interface CreateAppInput {
  name: string;
  label: string;
  signOnMode: string;
  url?: string;
  applicationType?: "web" | "service";
  activate: boolean;
}

/** Apps and their user and group assignments. */
export interface AppStore {
  all(): readonly AppRecord[];
  get(id: string): AppRecord | undefined;
  /**
   * The app's users, ascending by user index: direct assignments plus members of assigned groups.
   * DEPROVISIONED users are left out, since deactivation deprovisions a user from every app.
   */
  userIndexes(app: AppRecord): Uint32Array;
  appUser(app: AppRecord, user: UserRecord): AppUserView | undefined;
  /** Creates or updates a direct assignment; `created` is false when one existed. */
  assignUser(app: AppRecord, user: UserRecord, input: { userName?: string; profile?: Record<string, unknown> }, actor: LogActor): { view: AppUserView; created: boolean };
  unassignUser(app: AppRecord, user: UserRecord, actor: LogActor): void;
  assignGroup(app: AppRecord, group: GroupRecord, input: { priority?: number; profile?: Record<string, unknown> }, actor: LogActor): { assignment: GroupAssignment; created: boolean };
  unassignGroup(app: AppRecord, group: GroupRecord, actor: LogActor): void;
  /** Live apps with `group` assigned. */
  appsOfGroup(group: GroupRecord): AppRecord[];
  setStatus(app: AppRecord, status: AppStatus, actor: LogActor): AppRecord;
  create(input: CreateAppInput, actor: LogActor): AppRecord;
  /** Changes the label (what `PUT /api/v1/apps/{id}` may change here). */
  update(app: AppRecord, input: { label: string }, actor: LogActor): AppRecord;
  /** Deletes an INACTIVE app (an ACTIVE one is 403 E0000056, as Okta refuses it). */
  remove(app: AppRecord, actor: LogActor): void;
  /** Hooks for other stores: drop everything that names a user or group. */
  forgetUser(user: UserRecord): void;
  forgetGroup(group: GroupRecord): void;
  deprovisionUser(user: UserRecord, actor: LogActor): void;
}

/** Side effects on other stores, wired by createOrg. */
export interface AppHooks {
  isMember(group: GroupRecord, user: UserRecord): boolean;
  /** The app is gone: roles held by its OAuth client go with it. */
  deleted(app: AppRecord): void;
}

/** Creates the app store over `state`. */
export function createAppStore(state: OrgState, hooks: AppHooks): AppStore {
  const isMember = hooks.isMember;
  let nextIndex = state.apps.reduce((max, app) => Math.max(max, app.index + 1), 0);
  const cache = new Map<string, { version: number; indexes: Uint32Array }>();
  const sortedCache = new Map<string, { version: number; list: GroupAssignment[] }>();
  const sortedGroups = (app: AppRecord): GroupAssignment[] => {
    const hit = sortedCache.get(app.id);
    if (hit && hit.version === state.version) return hit.list;
    const list = [...app.groupAssignments.values()].sort((a, b) => a.priority - b.priority);
    sortedCache.set(app.id, { version: state.version, list });
    return list;
  };
  const eligible = (user: UserRecord | undefined): user is UserRecord => user !== undefined && !user.deleted && user.status !== "DEPROVISIONED";

  const compute = (app: AppRecord): Uint32Array => {
    const users = state.users;
    const mark = new Uint8Array(users.length);
    for (const index of app.directUsers.keys()) mark[index] = 1;
    for (const assignment of app.groupAssignments.values()) {
      const group = state.groupById.get(assignment.groupId);
      if (!group || group.deleted) continue;
      if (group.type === "BUILT_IN") mark.fill(1);
      else for (const index of group.members.values()) mark[index] = 1;
    }
    let count = 0;
    for (let i = 0; i < users.length; i++) if (mark[i] && eligible(users[i])) count++;
    const out = new Uint32Array(count);
    let k = 0;
    for (let i = 0; i < users.length; i++) if (mark[i] && eligible(users[i])) out[k++] = i;
    return out;
  };

  const view = (app: AppRecord, user: UserRecord): AppUserView | undefined => {
    if (!eligible(user)) return undefined;
    const direct = app.directUsers.get(user.index);
    const groups = sortedGroups(app).filter((a) => {
      const group = state.groupById.get(a.groupId);
      return group !== undefined && !group.deleted && isMember(group, user);
    });
    if (!direct && groups.length === 0) return undefined;
    return { user, scope: direct ? "USER" : "GROUP", direct, groups };
  };

  return {
    all: () => state.apps,
    get: (id) => state.appById.get(id),
    userIndexes(app) {
      const hit = cache.get(app.id);
      if (hit && hit.version === state.version) return hit.indexes;
      const indexes = compute(app);
      cache.set(app.id, { version: state.version, indexes });
      return indexes;
    },
    appUser: view,

    assignUser(app, user, input, actor) {
      // Okta refuses app assignments for deactivated users (error catalog E0000117).
      if (user.status === "DEPROVISIONED") throw simError("E0000117");
      const now = state.now();
      const existing = app.directUsers.get(user.index);
      if (existing) {
        // A changed app username is its own event; any other change to the assignment is an update.
        if (input.userName !== undefined && input.userName !== existing.userName) {
          existing.userName = input.userName;
          state.log.record({ eventType: "application.user_membership.change_username", displayMessage: "Change user's application username", actor, targets: [userTarget(user), appTarget(app)] });
        }
        if (input.profile !== undefined) {
          existing.profile = { ...existing.profile, ...input.profile };
          state.log.record({ eventType: "application.user_membership.update", displayMessage: "Update user's application membership", actor, targets: [userTarget(user), appTarget(app)] });
        }
        existing.lastUpdated = now;
      } else {
        app.directUsers.set(user.index, { created: now, lastUpdated: now, userName: input.userName ?? null, profile: input.profile ?? {} });
        state.log.record({ eventType: "application.user_membership.add", displayMessage: "Add user to application membership", actor, targets: [userTarget(user), appTarget(app)] });
      }
      state.touch();
      return { view: view(app, user) as AppUserView, created: !existing };
    },
    unassignUser(app, user, actor) {
      const current = view(app, user);
      if (!current) throw notFound(user.id, "AppUser");
      if (!current.direct) {
        throw simError("E0000046", { causes: ["The application cannot be unassigned from the user while their group memberships grant them access"] });
      }
      app.directUsers.delete(user.index);
      state.touch();
      state.log.record({ eventType: "application.user_membership.remove", displayMessage: "Remove user from application membership", actor, targets: [userTarget(user), appTarget(app)] });
    },
    assignGroup(app, group, input, actor) {
      const now = state.now();
      const existing = app.groupAssignments.get(group.id);
      if (existing) {
        if (input.priority !== undefined) existing.priority = input.priority;
        if (input.profile !== undefined) existing.profile = input.profile;
        existing.lastUpdated = now;
        state.touch();
        state.log.record({ eventType: "group.application_assignment.update", displayMessage: "Update assigned application of group", actor, targets: [groupTarget(group), appTarget(app)] });
        return { assignment: existing, created: false };
      }
      const assignment: GroupAssignment = { groupId: group.id, priority: input.priority ?? app.groupAssignments.size, created: now, lastUpdated: now, profile: input.profile ?? {} };
      app.groupAssignments.set(group.id, assignment);
      state.touch();
      state.log.record({ eventType: "group.application_assignment.add", displayMessage: "Add assigned application to group", actor, targets: [groupTarget(group), appTarget(app)] });
      return { assignment, created: true };
    },
    unassignGroup(app, group, actor) {
      if (!app.groupAssignments.delete(group.id)) throw notFound(group.id, "ApplicationGroupAssignment");
      state.touch();
      state.log.record({ eventType: "group.application_assignment.remove", displayMessage: "Remove assigned application from group", actor, targets: [groupTarget(group), appTarget(app)] });
    },
    appsOfGroup: (group) => state.apps.filter((app) => app.groupAssignments.has(group.id)),
    setStatus(app, status, actor) {
      if (app.status !== status) {
        app.status = status;
        app.lastUpdated = state.now();
        state.touch();
        const verb = status === "ACTIVE" ? "activate" : "deactivate";
        state.log.record({ eventType: `application.lifecycle.${verb}`, displayMessage: `${status === "ACTIVE" ? "Activate" : "Deactivate"} application`, actor, targets: [appTarget(app)] });
      }
      return app;
    },

    create(input, actor) {
      const causes: string[] = [];
      if (input.label.trim() === "") causes.push("label: The field cannot be left blank");
      if (input.name.trim() === "") causes.push("name: The field cannot be left blank");
      if (!SIGN_ON_MODES.has(input.signOnMode)) causes.push(`signOnMode: '${input.signOnMode}' is not a sign-on mode`);
      if (causes.length > 0) throw validationFailed((causes[0] ?? "").split(":")[0] ?? "app", causes);
      const now = state.now();
      const id = state.ids.mint("0oa");
      const oidc = input.signOnMode === "OPENID_CONNECT";
      const app: AppRecord = {
        index: nextIndex++,
        id,
        name: input.name,
        label: input.label.trim(),
        status: input.activate ? "ACTIVE" : "INACTIVE",
        signOnMode: input.signOnMode,
        features: [],
        created: now,
        lastUpdated: now,
        url: input.url ?? `https://${id}.${state.info.domain}`,
        clientId: oidc ? id : null,
        applicationType: oidc ? input.applicationType ?? "web" : null,
        directUsers: new Map(),
        groupAssignments: new Map(),
      };
      state.apps.push(app);
      state.appById.set(app.id, app);
      state.touch();
      state.log.record({ eventType: "application.lifecycle.create", displayMessage: "Create application", actor, targets: [appTarget(app)] });
      if (input.activate) state.log.record({ eventType: "application.lifecycle.activate", displayMessage: "Activate application", actor, targets: [appTarget(app)] });
      return app;
    },
    update(app, input, actor) {
      if (input.label.trim() === "") throw validationFailed("label", ["label: The field cannot be left blank"]);
      app.label = input.label.trim();
      app.lastUpdated = state.now();
      state.touch();
      state.log.record({ eventType: "application.lifecycle.update", displayMessage: "Update application", actor, targets: [appTarget(app)] });
      return app;
    },
    remove(app, actor) {
      if (app.status === "ACTIVE") throw simError("E0000056", { causes: ["The application must be deactivated before it is deleted"] });
      const at = state.apps.indexOf(app);
      if (at >= 0) state.apps.splice(at, 1);
      state.appById.delete(app.id);
      hooks.deleted(app);
      state.touch();
      state.log.record({ eventType: "application.lifecycle.delete", displayMessage: "Delete application", actor, targets: [appTarget(app)] });
    },

    forgetUser(user) {
      for (const app of state.apps) app.directUsers.delete(user.index);
    },
    forgetGroup(group) {
      for (const app of state.apps) app.groupAssignments.delete(group.id);
    },
    deprovisionUser(user, actor) {
      for (const app of state.apps) {
        if (app.directUsers.delete(user.index)) {
          state.log.record({ eventType: "application.user_membership.remove", displayMessage: "Remove user from application membership", actor, targets: [userTarget(user), appTarget(app)] });
        }
      }
    },
  };
}

/** The sign-on modes `POST /api/v1/apps` accepts here (Okta's Application `signOnMode` enum, the common ones). */
const SIGN_ON_MODES = new Set(["BOOKMARK", "AUTO_LOGIN", "BASIC_AUTH", "BROWSER_PLUGIN", "OPENID_CONNECT", "SAML_2_0", "SECURE_PASSWORD_STORE", "WS_FEDERATION"]);
