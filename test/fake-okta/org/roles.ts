import { notFound, simError, validationFailed } from "../core/errors.js";
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
  const privilegeEvent = (principal: PrincipalRef, verb: "grant" | "revoke", label: string, actor: LogActor, target: LogTarget): void => {
    // A client app's role change is logged as app.oauth2.client.privilege.* (events-and-posture.md).
    const prefix = principal.principalType === "USER" ? "user.account.privilege" : principal.principalType === "GROUP" ? "group.privilege" : "app.oauth2.client.privilege";
    const key = verb === "grant" ? "privilegeGranted" : "privilegeRevoked";
    state.log.record({ eventType: `${prefix}.${verb}`, displayMessage: verb === "grant" ? "Grant user privilege" : "Revoke user privilege", actor, targets: [target], debugData: { [key]: label } });
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
        const member = newMember(principal);
        binding.members.push(member);
        state.touch();
        privilegeEvent(principal, "grant", role.label, actor, target);
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
      const record = { id: state.ids.mint("ra1"), type: roleType, principalType: principal.principalType, principalId: principal.principalId, created: now, lastUpdated: now };
      state.roleAssignments.push(record);
      state.touch();
      privilegeEvent(principal, "grant", STANDARD_ROLE_LABELS[roleType], actor, target);
      return { id: record.id, type: roleType, label: STANDARD_ROLE_LABELS[roleType], assignmentType: principal.principalType, principalId: principal.principalId, created: now, lastUpdated: now };
    },
    unassign(principal, assignmentId, actor, target) {
      const standard = state.roleAssignments.findIndex((a) => a.id === assignmentId && a.principalType === principal.principalType && a.principalId === principal.principalId);
      if (standard >= 0) {
        const [removed] = state.roleAssignments.splice(standard, 1);
        state.touch();
        privilegeEvent(principal, "revoke", removed ? STANDARD_ROLE_LABELS[removed.type] : assignmentId, actor, target);
        return;
      }
      for (const set of state.resourceSets) {
        for (const binding of set.bindings.values()) {
          const k = binding.members.findIndex((m) => m.id === assignmentId && m.principalType === principal.principalType && m.principalId === principal.principalId);
          if (k < 0) continue;
          binding.members.splice(k, 1);
          state.touch();
          privilegeEvent(principal, "revoke", customRole(binding.roleId)?.label ?? binding.roleId, actor, target);
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
      binding.members.splice(k, 1);
      state.touch();
      state.log.record({ eventType: "iam.resourceset.bindings.delete", displayMessage: "Remove member from resource set binding", actor, targets: [{ id: set.id, type: "ResourceSet", alternateId: set.label, displayName: set.label }] });
    },
    deleteBinding(set, binding, actor) {
      set.bindings.delete(binding.roleId);
      state.touch();
      state.log.record({ eventType: "iam.resourceset.bindings.delete", displayMessage: "Delete resource set binding", actor, targets: [{ id: set.id, type: "ResourceSet", alternateId: set.label, displayName: set.label }] });
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
    let added = 0;
    for (const principal of members) {
      if (binding.members.some((m) => m.principalType === principal.principalType && m.principalId === principal.principalId)) continue;
      binding.members.push(newMember(principal));
      added++;
    }
    state.touch();
    if (added > 0) {
      state.log.record({ eventType: "iam.resourceset.bindings.add", displayMessage: "Add members to resource set binding", actor, targets: [{ id: set.id, type: "ResourceSet", alternateId: set.label, displayName: set.label }] });
    }
  }
}
