import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { ResourceType } from "../../../gen/c1/connector/v2/resource_pb.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { CUSTOM_ROLE_TYPE } from "../custom-role/resource-type.js";
import { RESOURCE_SET_TYPE } from "../resource-set/resource-type.js";
import { SERVICE_APP_TYPE } from "../service-app/resource-type.js";
import { grantCreated, grantRevoked, resourceChange, resourceOfTarget } from "../shared/event-bodies.js";
import { nameOf, type OktaLogEvent, type OktaLogTarget, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "../user/resource-type.js";
import { RESOURCE_SET_BINDING_TYPE } from "./resource-type.js";
import { bindingMemberEntitlementOf, bindingResourceOf } from "./resourceset-binding-mappers.js";

const ADDED = "iam.resourceset.bindings.add";

/** The log target types naming the principal of a binding member, and its type in a sync. */
const PRINCIPALS: readonly (readonly [string, ResourceType])[] = [
  ["User", USER_TYPE],
  ["UserGroup", GROUP_TYPE],
  // A service app's client id is its app id unless one was set at creation (service-app-mappers.ts).
  ["AppInstance", SERVICE_APP_TYPE],
];

/**
 * Custom roles held over a resource set. When the event names the custom role (CUSTOM_ROLE), the
 * resource set and the principal, it is the binding member grant a sync lists
 * (`resourceset-binding:{set}:{role}:member:{type}:{id}`). Okta's documented form names less (the
 * resource set only, as the simulator on main logs it): that cannot be a grant id, so it is a
 * ResourceChange of the resource set, which tells the engine where to re-read.
 *
 * A member added or removed also changes rows of two other resources, which a targeted sync of the
 * binding does not re-read: who holds the custom role (`custom-role:{role}:assigned`), and whether the
 * set binds the role at all (`resource-set:{set}:bindings:custom-role:{role}`, made by the first
 * member, gone with the binding). So the grant comes with a ResourceChange of each.
 */
export const resourceSetBindingEvents: TypeEventMapping = {
  oktaEventTypes: [ADDED, "iam.resourceset.bindings.delete"],
  kinds: [EventType.CREATE_GRANT, EventType.CREATE_REVOKE, EventType.RESOURCE_CHANGE],
  // Okta's documented form names neither the custom role nor the member, so for Watch only a read of
  // every binding and custom role is sure to find what changed; the form that names them is read the
  // same way, for one rule.
  rereads: [
    {
      resourceTypeId: RESOURCE_SET_BINDING_TYPE.id,
      why: "Okta's documented binding events name only the resource set, not the custom role or the member",
      when: "event",
    },
    { resourceTypeId: CUSTOM_ROLE_TYPE.id, why: "a binding's members are who holds its custom role", when: "event" },
  ],
  map(event: OktaLogEvent) {
    const set = targetOf(event, "RESOURCE_SET") ?? targetOf(event, "ResourceSet");
    if (!set) return [];
    const role = targetOf(event, "CUSTOM_ROLE");
    const principal = principalOf(event);
    if (!role || !principal) return [resourceChange(RESOURCE_SET_TYPE, set.id)];
    const entitlement = bindingMemberEntitlementOf(bindingResourceOf(set.id, nameOf(set), role.id));
    const holder = resourceOfTarget(principal.type, principal.target);
    return [event.eventType === ADDED ? grantCreated(entitlement, holder) : grantRevoked(entitlement, holder), resourceChange(CUSTOM_ROLE_TYPE, role.id), resourceChange(RESOURCE_SET_TYPE, set.id)];
  },
};

function principalOf(event: OktaLogEvent): { type: ResourceType; target: OktaLogTarget } | undefined {
  for (const [logType, type] of PRINCIPALS) {
    const target = targetOf(event, logType);
    if (target) return { type, target };
  }
  return undefined;
}
