import { notFound, simError, validationFailed } from "../core/errors.js";
import { appTarget, bindingTarget, customRoleTarget, groupTarget, resourceSetTarget, roleTarget, userTarget } from "./log-targets.js";
import type { OrgState } from "./state.js";
import type { LogActor, LogTarget } from "./system-log.js";
import {
  STANDARD_ROLE_LABELS, STANDARD_ROLE_TYPES, type BindingMemberRecord, type BindingRecord, type CustomRoleRecord,
  type GroupRecord, type PrincipalType, type ResourceSetRecord, type RoleAssignmentRecord, type StandardRoleType, type UserRecord,
} from "./types.js";

/** A role assignment as `/users/{id}/roles`, `/groups/{id}/roles` and `/oauth2/v1/clients/{id}/roles` report it. */
export interface RoleAssignmentView {
  /** `ra1…` for standard roles; the binding member id `irb…` for custom roles. */
  id: string;
  type: StandardRoleType | "CUSTOM";
  label: string;
  /** USER, GROUP or CLIENT: how the holder got it (a user's list also shows roles of its groups, as GROUP). */
  assignmentType: PrincipalType;
  /** The user, group or client id the assignment was made to. */
  principalId: string;
  created: number;
  lastUpdated: number;
  roleId?: string;
  resourceSetId?: string;
}

/** The body of `POST …/roles`: `{type}` or `{type:"CUSTOM", role, "resource-set"}`. */
export interface AssignRoleInput {
  type: unknown;
  role?: unknown;
  resourceSet?: unknown;
}

/** A principal named by API path, as bindings name members (`…/api/v1/users/00u…`). */
export interface PrincipalRef {
  principalType: PrincipalType;
  principalId: string;
}

/** Standard and custom admin roles, resource sets and their bindings. */
export interface RoleStore {
  /** Standard role assignments, in assignment order. */
  standardAssignments(): readonly RoleAssignmentRecord[];
  customRoles(): readonly CustomRoleRecord[];
  customRole(idOrLabel: string): CustomRoleRecord | undefined;
  resourceSets(): readonly ResourceSetRecord[];
  resourceSet(idOrLabel: string): ResourceSetRecord | undefined;
  binding(set: ResourceSetRecord, roleIdOrLabel: string): BindingRecord | undefined;
  /** Assignments made to the principal itself, standard ones first. */
  assignmentsOf(principalType: PrincipalType, principalId: string): RoleAssignmentView[];
  /** A user's own roles followed by those of its groups. */
  rolesOfUser(user: UserRecord, groups: readonly GroupRecord[]): RoleAssignmentView[];
  /** Ids of users holding a role assignment of their own (standard or custom), in user-index order. */
  usersWithRoles(): string[];
  assign(principal: PrincipalRef, input: AssignRoleInput, actor: LogActor, target: LogTarget): RoleAssignmentView;
  unassign(principal: PrincipalRef, assignmentId: string, actor: LogActor, target: LogTarget): void;
  createBinding(set: ResourceSetRecord, role: CustomRoleRecord, members: PrincipalRef[], actor: LogActor): BindingRecord;
  addBindingMembers(set: ResourceSetRecord, binding: BindingRecord, members: PrincipalRef[], actor: LogActor): void;
  removeBindingMember(set: ResourceSetRecord, binding: BindingRecord, memberId: string, actor: LogActor): void;
  deleteBinding(set: ResourceSetRecord, binding: BindingRecord, actor: LogActor): void;
  /** Drops every assignment and binding member naming the principal (it was deleted). */
  forgetPrincipal(principal: PrincipalRef): void;
}

/** Creates the role store over `state`. */
export function createRoleStore(state: OrgState): RoleStore {
  const byIdOrLabel = <T extends { id: string; label: string }>(items: readonly T[], key: string): T | undefined =>
    items.find((item) => item.id === key) ?? items.find((item) => item.label === key);
  const customRole = (key: string): CustomRoleRecord | undefined => byIdOrLabel(state.customRoles, key);

  const customViews = (principalType: PrincipalType, principalId: string, assignmentType: PrincipalType): RoleAssignmentView[] => {
    const views: RoleAssignmentView[] = [];
    for (const set of state.resourceSets) {
      for (const binding of set.bindings.values()) {
        const role = state.customRoles.find((r) => r.id === binding.roleId);
        for (const member of binding.members) {
          if (member.principalType !== principalType || member.principalId !== principalId) continue;
          views.push({
            id: member.id, type: "CUSTOM", label: role?.label ?? binding.roleId, assignmentType, principalId,
            created: member.created, lastUpdated: member.lastUpdated, roleId: binding.roleId, resourceSetId: set.id,
          });
        }
      }
    }
    return views;
  };
  const assignmentsOf = (principalType: PrincipalType, principalId: string, assignmentType: PrincipalType = principalType): RoleAssignmentView[] => [
    ...state.roleAssignments
      .filter((a) => a.principalType === principalType && a.principalId === principalId)
      .map((a): RoleAssignmentView => ({ id: a.id, type: a.type, label: STANDARD_ROLE_LABELS[a.type], assignmentType, principalId, created: a.created, lastUpdated: a.lastUpdated })),
    ...customViews(principalType, principalId, assignmentType),
  ];
  const ownRoles = (principal: PrincipalRef): number => assignmentsOf(principal.principalType, principal.principalId).length;
  /**
   * `user.account.privilege.grant` / `.revoke` only when a user gains its first or loses its last role of
   * its own, as Okta logs them (events-and-posture.md §4); a group's or client app's change is logged
   * each time (`group.privilege.*`, `app.oauth2.client.privilege.*`).
   */
  const privilegeEvent = (principal: PrincipalRef, verb: "grant" | "revoke", rolesBefore: number, role: LogTarget, actor: LogActor, target: LogTarget): void => {
    if (principal.principalType === "USER" && (verb === "grant" ? rolesBefore !== 0 : ownRoles(principal) !== 0)) return;
    const prefix = principal.principalType === "USER" ? "user.account.privilege" : principal.principalType === "GROUP" ? "group.privilege" : "app.oauth2.client.privilege";
    const key = verb === "grant" ? "privilegeGranted" : "privilegeRevoked";
    const who = principal.principalType === "USER" ? "user" : principal.principalType === "GROUP" ? "group" : "client";
    state.log.record({
      eventType: `${prefix}.${verb}`, displayMessage: `${verb === "grant" ? "Grant" : "Revoke"} ${who} privilege`, actor, targets: [target, role], debugData: { [key]: role.displayName },
    });
  };
  /** A custom role given to or taken from one principal over a resource set: `iam.resourceset.bindings.add` / `.delete`. */
  const bindingEvent = (verb: "add" | "delete", set: ResourceSetRecord, roleId: string, member: BindingMemberRecord, actor: LogActor, target: LogTarget): void => {
    state.log.record({
      eventType: `iam.resourceset.bindings.${verb}`,
      displayMessage: verb === "add" ? "Add member to resource set binding" : "Remove member from resource set binding",
      actor,
      targets: [customRoleTarget(roleOf(roleId)), resourceSetTarget(set), bindingTarget(set, roleId, member.id), target],
    });
  };
  const roleOf = (roleId: string): Pick<CustomRoleRecord, "id" | "label"> => state.customRoles.find((r) => r.id === roleId) ?? { id: roleId, label: roleId };
  /** The System Log target of a principal named by a binding member. */
  const principalTarget = (principal: PrincipalRef): LogTarget => {
    if (principal.principalType === "USER") {
      const index = state.userIndexById.get(principal.principalId);
      const user = index === undefined ? undefined : state.users[index];
      if (user) return userTarget(user);
    } else if (principal.principalType === "GROUP") {
      const group = state.groupById.get(principal.principalId);
      if (group) return groupTarget(group);
    } else {
      const app = state.apps.find((a) => a.clientId === principal.principalId);
      if (app) return appTarget(app);
    }
    const type = principal.principalType === "USER" ? "User" : principal.principalType === "GROUP" ? "UserGroup" : "AppInstance";
    return { id: principal.principalId, type, alternateId: "unknown", displayName: "unknown" };
  };
  const newMember = (principal: PrincipalRef): BindingMemberRecord => {
    const now = state.now();
    return { id: state.ids.mint("irb"), principalType: principal.principalType, principalId: principal.principalId, created: now, lastUpdated: now };
  };

  return {
    standardAssignments: () => state.roleAssignments,
    customRoles: () => state.customRoles,
    customRole,
    resourceSets: () => state.resourceSets,
    resourceSet: (key) => byIdOrLabel(state.resourceSets, key),
    binding(set, key) {
      const role = customRole(key);
      return set.bindings.get(role ? role.id : key);
    },
    assignmentsOf: (principalType, principalId) => assignmentsOf(principalType, principalId),
    rolesOfUser: (user, groups) => [
      ...assignmentsOf("USER", user.id),
      ...groups.flatMap((group) => assignmentsOf("GROUP", group.id, "GROUP")),
    ],
    usersWithRoles() {
      const ids = new Set<string>();
      for (const a of state.roleAssignments) if (a.principalType === "USER") ids.add(a.principalId);
      for (const set of state.resourceSets) for (const b of set.bindings.values()) for (const m of b.members) if (m.principalType === "USER") ids.add(m.principalId);
      return [...ids].filter((id) => state.userIndexById.has(id)).sort((a, b) => (state.userIndexById.get(a) ?? 0) - (state.userIndexById.get(b) ?? 0));
    },

    assign(principal, input, actor, target) {
      const type = input.type;
      if (type === "CUSTOM") {
        if (typeof input.role !== "string" || typeof input.resourceSet !== "string") {
          throw validationFailed("role", ["role: A custom role assignment needs 'role' and 'resource-set'"]);
        }
        const role = customRole(input.role);
        if (!role) throw notFound(input.role, "Role");
        const set = byIdOrLabel(state.resourceSets, input.resourceSet);
        if (!set) throw notFound(input.resourceSet, "ResourceSet");
        let binding = set.bindings.get(role.id);
        if (binding?.members.some((m) => m.principalType === principal.principalType && m.principalId === principal.principalId)) throw simError("E0000090");
        if (!binding) {
          binding = { roleId: role.id, members: [] };
          set.bindings.set(role.id, binding);
        }
        const before = ownRoles(principal);
        const member = newMember(principal);
        binding.members.push(member);
        state.touch();
        bindingEvent("add", set, role.id, member, actor, target);
        privilegeEvent(principal, "grant", before, customRoleTarget(role), actor, target);
        return { id: member.id, type: "CUSTOM", label: role.label, assignmentType: principal.principalType, principalId: principal.principalId, created: member.created, lastUpdated: member.lastUpdated, roleId: role.id, resourceSetId: set.id };
      }
      if (typeof type !== "string" || !(STANDARD_ROLE_TYPES as readonly string[]).includes(type)) {
        throw validationFailed("type", [`type: Invalid role type '${String(type)}'`]);
      }
      const roleType = type as StandardRoleType;
      if (state.roleAssignments.some((a) => a.type === roleType && a.principalType === principal.principalType && a.principalId === principal.principalId)) {
        throw simError("E0000090");
      }
      const now = state.now();
      const before = ownRoles(principal);
      const record = { id: state.ids.mint("ra1"), type: roleType, principalType: principal.principalType, principalId: principal.principalId, created: now, lastUpdated: now };
      state.roleAssignments.push(record);
      state.touch();
      privilegeEvent(principal, "grant", before, roleTarget(roleType, STANDARD_ROLE_LABELS[roleType], record.id), actor, target);
      return { id: record.id, type: roleType, label: STANDARD_ROLE_LABELS[roleType], assignmentType: principal.principalType, principalId: principal.principalId, created: now, lastUpdated: now };
    },
    unassign(principal, assignmentId, actor, target) {
      const standard = state.roleAssignments.findIndex((a) => a.id === assignmentId && a.principalType === principal.principalType && a.principalId === principal.principalId);
      if (standard >= 0) {
        const [removed] = state.roleAssignments.splice(standard, 1) as [RoleAssignmentRecord];
        state.touch();
        privilegeEvent(principal, "revoke", 1, roleTarget(removed.type, STANDARD_ROLE_LABELS[removed.type], removed.id), actor, target);
        return;
      }
      for (const set of state.resourceSets) {
        for (const binding of set.bindings.values()) {
          const k = binding.members.findIndex((m) => m.id === assignmentId && m.principalType === principal.principalType && m.principalId === principal.principalId);
          if (k < 0) continue;
          const [member] = binding.members.splice(k, 1) as [BindingMemberRecord];
          state.touch();
          bindingEvent("delete", set, binding.roleId, member, actor, target);
          privilegeEvent(principal, "revoke", 1, customRoleTarget(roleOf(binding.roleId)), actor, target);
          return;
        }
      }
      throw notFound(assignmentId, "RoleAssignment");
    },

    createBinding(set, role, members, actor) {
      let binding = set.bindings.get(role.id);
      if (!binding) {
        binding = { roleId: role.id, members: [] };
        set.bindings.set(role.id, binding);
      }
      addMembers(set, binding, members, actor);
      return binding;
    },
    addBindingMembers: (set, binding, members, actor) => addMembers(set, binding, members, actor),
    removeBindingMember(set, binding, memberId, actor) {
      const k = binding.members.findIndex((m) => m.id === memberId);
      if (k < 0) throw notFound(memberId, "Member");
      const [member] = binding.members.splice(k, 1) as [BindingMemberRecord];
      state.touch();
      removedMember(set, binding.roleId, member, actor);
    },
    deleteBinding(set, binding, actor) {
      set.bindings.delete(binding.roleId);
      state.touch();
      // One event per member, so each names the principal that lost the role; a binding without members still logs one.
      for (const member of binding.members) removedMember(set, binding.roleId, member, actor);
      if (binding.members.length === 0) {
        state.log.record({ eventType: "iam.resourceset.bindings.delete", displayMessage: "Delete resource set binding", actor, targets: [customRoleTarget(roleOf(binding.roleId)), resourceSetTarget(set)] });
      }
    },
    forgetPrincipal(principal) {
      state.roleAssignments = state.roleAssignments.filter((a) => !(a.principalType === principal.principalType && a.principalId === principal.principalId));
      for (const set of state.resourceSets) {
        for (const binding of set.bindings.values()) {
          binding.members = binding.members.filter((m) => !(m.principalType === principal.principalType && m.principalId === principal.principalId));
        }
        if (principal.principalType === "GROUP") set.resources = set.resources.filter((r) => r.path !== `/api/v1/groups/${principal.principalId}`);
      }
    },
  };

  function addMembers(set: ResourceSetRecord, binding: BindingRecord, members: PrincipalRef[], actor: LogActor): void {
    for (const principal of members) {
      if (binding.members.some((m) => m.principalType === principal.principalType && m.principalId === principal.principalId)) continue;
      const before = ownRoles(principal);
      const member = newMember(principal);
      binding.members.push(member);
      state.touch();
      const target = principalTarget(principal);
      bindingEvent("add", set, binding.roleId, member, actor, target);
      privilegeEvent(principal, "grant", before, customRoleTarget(roleOf(binding.roleId)), actor, target);
    }
    state.touch();
  }

  function removedMember(set: ResourceSetRecord, roleId: string, member: BindingMemberRecord, actor: LogActor): void {
    const target = principalTarget(member);
    bindingEvent("delete", set, roleId, member, actor, target);
    privilegeEvent(member, "revoke", 1, customRoleTarget(roleOf(roleId)), actor, target);
  }
}
