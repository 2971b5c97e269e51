import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { ResourceType } from "../../../gen/c1/connector/v2/resource_pb.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { SERVICE_APP_TYPE } from "../service-app/resource-type.js";
import { grantCreated, grantRevoked, resourceOfTarget } from "../shared/event-bodies.js";
import { nameOf, type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "../user/resource-type.js";
import { ROLE_TYPE } from "./resource-type.js";
import { KNOWN_ROLES, roleEntitlementOf, roleResourceOf } from "./role-mappers.js";

/** The privilege events per principal kind, and the log target naming the principal. */
const PRINCIPALS: Readonly<Record<string, { readonly type: ResourceType; readonly target: string }>> = {
  "user.account.privilege": { type: USER_TYPE, target: "User" },
  "group.privilege": { type: GROUP_TYPE, target: "UserGroup" },
  // A service app's client id is its app id unless one was set at creation (service-app-mappers.ts).
  "app.oauth2.client.privilege": { type: SERVICE_APP_TYPE, target: "AppInstance" },
};

const ROLE_TYPE_BY_LABEL = new Map(Object.entries(KNOWN_ROLES).map(([type, label]) => [label.toLowerCase(), type]));

/**
 * The standard roles (type and label) an event names: from a ROLE target, whose id is the role type, where the
 * event has one; else from the labels in debugData (Okta joins several roles granted at once with ", ").
 * A CUSTOM_ROLE target names a custom role, which the binding events map.
 */
function rolesOf(event: OktaLogEvent, granted: boolean): { type: string; label: string }[] {
  const roles = (event.target ?? []).filter((t) => t.type === "ROLE" && /^[A-Z][A-Z0-9_]*$/.test(t.id));
  if (roles.length > 0) return roles.map((t) => ({ type: t.id, label: KNOWN_ROLES[t.id] ?? nameOf(t) }));
  if ((event.target ?? []).some((t) => t.type === "CUSTOM_ROLE")) return [];
  const labels = (event.debugContext?.debugData ?? {})[granted ? "privilegeGranted" : "privilegeRevoked"];
  if (typeof labels !== "string") return [];
  return labels.split(",").flatMap((raw) => {
    const type = ROLE_TYPE_BY_LABEL.get(raw.trim().toLowerCase());
    return type ? [{ type, label: KNOWN_ROLES[type]! }] : [];
  });
}

/**
 * Standard admin roles granted to and revoked from users, groups and service apps. The role type is the
 * role's id in a sync (`role:SUPER_ADMIN:assigned`): taken from a ROLE target when the event has one,
 * else found from the display name in `debugContext.debugData.privilegeGranted` / `privilegeRevoked`
 * among the known labels. A custom role maps to nothing here; its binding event covers it. Okta is reported to log these only for a principal's
 * first and last role (events-and-posture.md §4): changes in between reach the engine by a sync.
 */
export const roleEvents: TypeEventMapping = {
  oktaEventTypes: Object.keys(PRINCIPALS).flatMap((prefix) => [`${prefix}.grant`, `${prefix}.revoke`]),
  kinds: [EventType.CREATE_GRANT, EventType.CREATE_REVOKE],
  rereads: [
    {
      resourceTypeId: ROLE_TYPE.id,
      why: "Okta logs a user's admin role only when it is the first granted or the last revoked (events-and-posture.md §4)",
      when: "timer",
    },
  ],
  // A privilege event re-reads the principal's own roles (one call), whichever role it names or fails to
  // name: the log may name none (a custom role) or only the first and last.
  principalReads(event: OktaLogEvent) {
    const principalKind = PRINCIPALS[event.eventType.slice(0, event.eventType.lastIndexOf("."))];
    const holder = principalKind && targetOf(event, principalKind.target);
    return holder ? [{ principal: { resourceType: principalKind.type.id, resource: holder.id }, resourceTypeId: ROLE_TYPE.id }] : [];
  },
  map(event: OktaLogEvent) {
    const granted = event.eventType.endsWith(".grant");
    const principalKind = PRINCIPALS[event.eventType.slice(0, event.eventType.lastIndexOf("."))];
    if (!principalKind) return [];
    const holder = targetOf(event, principalKind.target);
    if (!holder) return [];
    const principal = resourceOfTarget(principalKind.type, holder);
    return rolesOf(event, granted).map(({ type, label }) => {
      const entitlement = roleEntitlementOf(roleResourceOf(type, label));
      return granted ? grantCreated(entitlement, principal) : grantRevoked(entitlement, principal);
    });
  },
};
