import type { LogTarget } from "./system-log.js";
import type { AppRecord, GroupRecord, UserRecord } from "./types.js";

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
