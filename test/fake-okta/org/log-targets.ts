import type { LogTarget } from "./system-log.js";
import type { AppRecord, CustomRoleRecord, GroupRecord, ResourceSetRecord, StandardRoleType, UserRecord } from "./types.js";

/** The System Log's view of a user (`target[].type` "User"). */
export function userTarget(user: UserRecord): LogTarget {
  return { id: user.id, type: "User", alternateId: user.profile.login, displayName: displayNameOf(user) };
}

/** The System Log's view of a group (`target[].type` "UserGroup"). */
export function groupTarget(group: GroupRecord): LogTarget {
  return { id: group.id, type: "UserGroup", alternateId: "unknown", displayName: group.profile.name };
}

/** The System Log's view of an app (`target[].type` "AppInstance"). */
export function appTarget(app: AppRecord): LogTarget {
  return { id: app.id, type: "AppInstance", alternateId: app.label, displayName: app.label };
}

/** `profile.displayName`, else "first last". */
export function displayNameOf(user: UserRecord): string {
  const display = user.profile["displayName"];
  if (typeof display === "string" && display !== "") return display;
  return `${String(user.profile["firstName"] ?? "")} ${String(user.profile["lastName"] ?? "")}`.trim();
}

/** A standard admin role (`ROLE`): the id is the role type, which names it in every org; the assignment rides in detailEntry. */
export function roleTarget(type: StandardRoleType, label: string, assignmentId: string): LogTarget {
  return { id: type, type: "ROLE", alternateId: type, displayName: label, detailEntry: { assignmentId } };
}

/** A custom role (`CUSTOM_ROLE`, `cr0…`). */
export function customRoleTarget(role: Pick<CustomRoleRecord, "id" | "label">): LogTarget {
  return { id: role.id, type: "CUSTOM_ROLE", alternateId: role.label, displayName: role.label };
}

/** A resource set (`RESOURCE_SET`, `iam…`). */
export function resourceSetTarget(set: ResourceSetRecord): LogTarget {
  return { id: set.id, type: "RESOURCE_SET", alternateId: set.label, displayName: set.label };
}

/**
 * A binding member (`BINDING`): the id is the member id `irb…`, which is also the custom role assignment
 * id on the principal's `/roles`; the binding itself is named `<resource set id>:<custom role id>`.
 */
export function bindingTarget(set: ResourceSetRecord, roleId: string, memberId: string): LogTarget {
  return { id: memberId, type: "BINDING", alternateId: `${set.id}:${roleId}`, displayName: set.label, detailEntry: { resourceSetId: set.id, roleId } };
}
