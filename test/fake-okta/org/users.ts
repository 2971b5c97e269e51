import { simError, validationFailed } from "../core/errors.js";
import { userTarget } from "./log-targets.js";
import { liveUser, type OrgState } from "./state.js";
import type { LogActor } from "./system-log.js";
import type { UserProfile, UserRecord, UserStatus } from "./types.js";

/** Okta's lifecycle operations (`POST /api/v1/users/{id}/lifecycle/{op}`). */
export type LifecycleOp = "activate" | "deactivate" | "suspend" | "unsuspend" | "reactivate" | "unlock";

/** What `POST /api/v1/users` asks for (body plus `activate`, `provider`, `nextLogin`). */
export interface CreateUserInput {
  profile: Record<string, unknown>;
  password: boolean;
  activate: boolean;
  provider: boolean;
  nextLoginChangePassword: boolean;
  groupIds: string[];
}

/** Users: lookups and the writes Okta allows, with its lifecycle rules. */
export interface UserStore {
  /** Every user by index, deleted ones included (check `deleted`). */
  all(): readonly UserRecord[];
  get(id: string): UserRecord | undefined;
  /** By id, else by login (case-insensitive), as `GET /api/v1/users/{idOrLogin}` does. */
  find(idOrLogin: string): UserRecord | undefined;
  /** The index of any id ever issued, for cursors. */
  indexOf(id: string): number | undefined;
  /** The user as `search` sees it while the index lags: stale, or null when created too recently. */
  searchView(user: UserRecord): UserRecord | null;
  create(input: CreateUserInput, actor: LogActor): UserRecord;
  /** A profile change and/or a new password (set by an admin); each logs its own event. */
  updateProfile(user: UserRecord, profile: Record<string, unknown> | undefined, options: { replace: boolean; password: boolean }, actor: LogActor): UserRecord;
  lifecycle(user: UserRecord, op: LifecycleOp, actor: LogActor): UserRecord;
  /** Deactivates a user that is not DEPROVISIONED, else deletes it (Okta's two-step DELETE). */
  remove(user: UserRecord, actor: LogActor): "deactivated" | "deleted";
}

/** Side effects on other stores, wired by createOrg. */
export interface UserHooks {
  addToGroups(user: UserRecord, groupIds: string[], actor: LogActor): void;
  /** Deactivation deprovisions the user from all apps (okta-api.md §1.1). */
  deactivated(user: UserRecord, actor: LogActor): void;
  deleted(user: UserRecord): void;
  /** The user was created (`previous` undefined) or its profile changed: group rules re-evaluate it. */
  profileChanged(user: UserRecord, actor: LogActor, previous: UserProfile | undefined): void;
}

const BASE_REQUIRED = ["login"] as const;

/** Creates the user store over `state`. */
export function createUserStore(state: OrgState, hooks: UserHooks): UserStore {
  const remember = (user: UserRecord): void => {
    const now = state.now();
    // Keep the state from before a burst of changes until the burst is older than the lag.
    if (!user.searchPast || now - user.searchPast.changedAt >= state.searchLagMs) {
      user.searchPast = { changedAt: now, before: { ...user, profile: { ...user.profile }, searchPast: undefined } };
    } else {
      user.searchPast.changedAt = now;
    }
  };
  const setStatus = (user: UserRecord, status: UserStatus, actor: LogActor, eventType: string, verb: string): UserRecord => {
    remember(user);
    const now = state.now();
    user.status = status;
    user.statusChanged = now;
    user.lastUpdated = now;
    state.touch();
    state.log.record({ eventType, displayMessage: verb, actor, targets: [userTarget(user)] });
    return user;
  };
  const wrongState = (code: "E0000001" | "E0000016" | "E0000038", cause: string) =>
    code === "E0000001" ? validationFailed("lifecycle", [cause]) : simError(code, { causes: [cause] });

  return {
    all: () => state.users,
    get: (id) => liveUser(state, id),
    find(idOrLogin) {
      const byId = liveUser(state, idOrLogin);
      if (byId) return byId;
      const index = state.userIndexByLogin.get(idOrLogin.toLowerCase());
      return index === undefined ? undefined : state.users[index];
    },
    indexOf: (id) => state.userIndexById.get(id),
    searchView(user) {
      const past = user.searchPast;
      if (!past || state.searchLagMs <= 0 || state.now() - past.changedAt >= state.searchLagMs) return user.deleted ? null : user;
      return past.before;
    },

    create(input, actor) {
      const profile = validateProfile(input.profile, state, undefined);
      if (input.nextLoginChangePassword && !input.password) throw simError("E0000124");
      if (input.nextLoginChangePassword && !input.activate) throw simError("E0000125");
      for (const groupId of input.groupIds) {
        const group = state.groupById.get(groupId);
        if (!group || group.deleted) throw validationFailed("groupIds", [`groupIds: Group ${groupId} does not exist`]);
        if (group.type !== "OKTA_GROUP") throw simError("E0000006");
      }
      const now = state.now();
      const status: UserStatus = !input.activate ? "STAGED" : input.nextLoginChangePassword ? "PASSWORD_EXPIRED" : input.password || input.provider ? "ACTIVE" : "PROVISIONED";
      const user: UserRecord = {
        index: state.users.length,
        id: state.ids.mint("00u"),
        status,
        created: now,
        activated: input.activate ? now : null,
        statusChanged: input.activate ? now : null,
        lastLogin: null,
        lastUpdated: now,
        passwordChanged: input.password ? now : null,
        typeId: state.info.userTypeId,
        profile,
        hasPassword: input.password,
        provider: input.provider ? { type: "FEDERATION", name: "FEDERATION" } : { type: "OKTA", name: "OKTA" },
        deleted: false,
        searchPast: { changedAt: now, before: null },
      };
      state.users.push(user);
      state.userIndexById.set(user.id, user.index);
      state.userIndexByLogin.set(profile.login.toLowerCase(), user.index);
      state.touch();
      state.log.record({ eventType: "user.lifecycle.create", displayMessage: "Create Okta user", actor, targets: [userTarget(user)] });
      if (input.activate) state.log.record({ eventType: "user.lifecycle.activate", displayMessage: "Activate Okta user", actor, targets: [userTarget(user)] });
      hooks.addToGroups(user, input.groupIds, actor);
      hooks.profileChanged(user, actor, undefined);
      return user;
    },

    updateProfile(user, patch, options, actor) {
      const merged = options.replace ? patch ?? {} : { ...user.profile, ...patch };
      const profile = validateProfile(merged, state, user);
      remember(user);
      const oldLogin = user.profile.login.toLowerCase();
      if (oldLogin !== profile.login.toLowerCase()) {
        state.userIndexByLogin.delete(oldLogin);
        state.userIndexByLogin.set(profile.login.toLowerCase(), user.index);
      }
      const now = state.now();
      const previous = user.profile;
      user.profile = profile;
      user.lastUpdated = now;
      if (options.password) {
        user.hasPassword = true;
        user.passwordChanged = now;
      }
      state.touch();
      if (patch !== undefined) state.log.record({ eventType: "user.account.update_profile", displayMessage: "Update user profile for Okta", actor, targets: [userTarget(user)] });
      if (options.password) state.log.record({ eventType: "user.account.update_password", displayMessage: "Update password for user", actor, targets: [userTarget(user)] });
      hooks.profileChanged(user, actor, previous);
      return user;
    },

    lifecycle(user, op, actor) {
      const s = user.status;
      switch (op) {
        case "activate":
          if (s !== "STAGED" && s !== "DEPROVISIONED") throw wrongState("E0000016", `The user is ${s}; only STAGED or DEPROVISIONED users can be activated.`);
          user.activated = state.now();
          return setStatus(user, user.hasPassword || user.provider.type === "FEDERATION" ? "ACTIVE" : "PROVISIONED", actor, "user.lifecycle.activate", "Activate Okta user");
        case "deactivate":
          if (s === "DEPROVISIONED") throw wrongState("E0000038", "The user is already deactivated.");
          setStatus(user, "DEPROVISIONED", actor, "user.lifecycle.deactivate", "Deactivate Okta user");
          hooks.deactivated(user, actor);
          return user;
        case "suspend":
          if (s !== "ACTIVE") throw wrongState("E0000001", "Cannot suspend a user that is not active");
          return setStatus(user, "SUSPENDED", actor, "user.lifecycle.suspend", "Suspend Okta user");
        case "unsuspend":
          if (s !== "SUSPENDED") throw wrongState("E0000001", "Cannot unsuspend a user that is not suspended");
          return setStatus(user, "ACTIVE", actor, "user.lifecycle.unsuspend", "Unsuspend Okta user");
        case "reactivate":
          if (s !== "PROVISIONED" && s !== "RECOVERY") throw wrongState("E0000038", `The user is ${s}; only PROVISIONED or RECOVERY users can be reactivated.`);
          return setStatus(user, "PROVISIONED", actor, "user.lifecycle.reactivate", "Reactivate Okta user");
        case "unlock":
          if (s !== "LOCKED_OUT") throw wrongState("E0000038", `The user is ${s}, not LOCKED_OUT.`);
          return setStatus(user, "ACTIVE", actor, "user.account.unlock", "Unlock user account");
      }
    },

    remove(user, actor) {
      if (user.status !== "DEPROVISIONED") {
        setStatus(user, "DEPROVISIONED", actor, "user.lifecycle.deactivate", "Deactivate Okta user");
        hooks.deactivated(user, actor);
        return "deactivated";
      }
      remember(user);
      user.deleted = true;
      state.userIndexByLogin.delete(user.profile.login.toLowerCase());
      hooks.deleted(user);
      state.touch();
      state.log.record({ eventType: "user.lifecycle.delete.initiated", displayMessage: "Delete Okta user", actor, targets: [userTarget(user)] });
      return "deleted";
    },
  };
}

/** Okta's base-schema checks: login required, unique and without spaces; email well-formed when given. */
function validateProfile(input: Record<string, unknown>, state: OrgState, self: UserRecord | undefined): UserProfile {
  const causes: string[] = [];
  for (const field of BASE_REQUIRED) {
    const value = input[field];
    if (typeof value !== "string" || value.trim() === "") causes.push(`${field}: The field cannot be left blank`);
  }
  const login = typeof input["login"] === "string" ? input["login"] : "";
  if (login !== "" && /\s/.test(login)) causes.push("login: Username must not contain whitespace");
  const owner = login === "" ? undefined : state.userIndexByLogin.get(login.toLowerCase());
  if (owner !== undefined && owner !== self?.index) causes.push("login: An object with this field already exists in the current organization");
  for (const field of ["email", "secondEmail"]) {
    const value = input[field];
    if (value !== undefined && value !== null && (typeof value !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))) {
      causes.push(`${field}: Does not match required pattern`);
    }
  }
  for (const field of ["firstName", "lastName"]) {
    if (field in input && input[field] !== null && typeof input[field] !== "string") causes.push(`${field}: Must be a string`);
  }
  if (causes.length > 0) throw validationFailed((causes[0] ?? "").split(":")[0] ?? "profile", causes);
  return { ...input, login } as UserProfile;
}
