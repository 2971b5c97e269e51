import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { ResourceType } from "../../../gen/c1/connector/v2/resource_pb.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { SERVICE_APP_TYPE } from "../service-app/resource-type.js";
import { grantCreated, grantRevoked, resourceOfTarget } from "../shared/event-bodies.js";
import { type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "../user/resource-type.js";
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
 * Standard admin roles granted to and revoked from users, groups and service apps. Okta's event names
 * the role only by its display name (`debugContext.debugData.privilegeGranted` / `privilegeRevoked`),
 * so the role type, which is the role's id in a sync (`role:SUPER_ADMIN:assigned`), is found from
 * the known labels; a label that is not a standard role (a custom role's) maps to nothing here, and
 * the resource set's binding event covers it. Okta is reported to log these only for a principal's
 * first and last role (events-and-posture.md §4): changes in between reach the engine by a sync.
 */
export const roleEvents: TypeEventMapping = {
  oktaEventTypes: Object.keys(PRINCIPALS).flatMap((prefix) => [`${prefix}.grant`, `${prefix}.revoke`]),
  kinds: [EventType.CREATE_GRANT, EventType.CREATE_REVOKE],
  map(event: OktaLogEvent) {
    const granted = event.eventType.endsWith(".grant");
    const principalKind = PRINCIPALS[event.eventType.slice(0, event.eventType.lastIndexOf("."))];
    if (!principalKind) return [];
    const holder = targetOf(event, principalKind.target);
    const debug = event.debugContext?.debugData ?? {};
    const labels = debug[granted ? "privilegeGranted" : "privilegeRevoked"];
    if (!holder || typeof labels !== "string") return [];
    const principal = resourceOfTarget(principalKind.type, holder);
    // Okta joins several roles granted at once with ", ".
    return labels.split(",").flatMap((raw) => {
      const label = raw.trim();
      const type = ROLE_TYPE_BY_LABEL.get(label.toLowerCase());
      if (!type) return [];
      const entitlement = roleEntitlementOf(roleResourceOf(type, KNOWN_ROLES[type]!));
      return [granted ? grantCreated(entitlement, principal) : grantRevoked(entitlement, principal)];
    });
  },
};
