import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { grantCreated, grantRevoked, resourceChange, resourceOfTarget } from "../shared/event-bodies.js";
import { type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "../user/resource-type.js";
import { memberEntitlementOf } from "./group-mappers.js";
import { GROUP_TYPE } from "./resource-type.js";

const LIFECYCLE = ["group.lifecycle.create", "group.lifecycle.delete", "group.profile.update"];
const MEMBERSHIP = ["group.user_membership.add", "group.user_membership.remove"];

/**
 * Groups in the System Log: created, deleted or renamed groups change the group resource; membership
 * events (targets User and UserGroup) are the `group:{id}:member` grants of users. A membership kept
 * by a group rule is logged the same way, and is the same grant id in a sync.
 */
export const groupEvents: TypeEventMapping = {
  oktaEventTypes: [...LIFECYCLE, ...MEMBERSHIP],
  kinds: [EventType.RESOURCE_CHANGE, EventType.CREATE_GRANT, EventType.CREATE_REVOKE],
  rereads: [
    {
      resourceTypeId: GROUP_TYPE.id,
      why: "a group's member and app counts change when a user or app is created or deleted, which Okta logs only on the user or app",
      when: "timer",
      resourcesOnly: true,
    },
  ],
  map(event: OktaLogEvent) {
    const group = targetOf(event, "UserGroup");
    if (!group) return [];
    if (LIFECYCLE.includes(event.eventType)) return [resourceChange(GROUP_TYPE, group.id)];
    const user = targetOf(event, "User");
    if (!user) return [];
    const entitlement = memberEntitlementOf(resourceOfTarget(GROUP_TYPE, group));
    const principal = resourceOfTarget(USER_TYPE, user);
    return [event.eventType === "group.user_membership.add" ? grantCreated(entitlement, principal) : grantRevoked(entitlement, principal)];
  },
};
