import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { grantCreated, grantRevoked, resourceChange, resourceOfTarget, usage } from "../shared/event-bodies.js";
import { type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "../user/resource-type.js";
import { accessEntitlementOf } from "./app-grants.js";
import { APP_TYPE } from "./resource-type.js";

const LIFECYCLE = [
  "application.lifecycle.create",
  "application.lifecycle.update",
  "application.lifecycle.activate",
  "application.lifecycle.deactivate",
  "application.lifecycle.delete",
];
const USER_ADDED = "application.user_membership.add";
const USER_REMOVED = "application.user_membership.remove";
const GROUP_ADDED = "group.application_assignment.add";
const GROUP_REMOVED = "group.application_assignment.remove";
const SSO = "user.authentication.sso";

/**
 * Apps in the System Log: lifecycle events change the app resource; assignments to users (targets
 * User, AppInstance) and to groups (UserGroup, AppInstance) are the `app:{id}:access` grants of that
 * user or group (and a change of the group, whose app count moved); a sign-in to the app (actor User,
 * target AppInstance) is a Usage event.
 *
 * Removing a user's direct assignment revokes `app:{id}:access:user:{id}`, though a user who also
 * reaches the app through a group keeps a grant of that id in the next sync (derived from the group):
 * the log does not say, so a targeted sync of the app settles it.
 */
export const appEvents: TypeEventMapping = {
  oktaEventTypes: [...LIFECYCLE, USER_ADDED, USER_REMOVED, GROUP_ADDED, GROUP_REMOVED, SSO],
  kinds: [EventType.RESOURCE_CHANGE, EventType.CREATE_GRANT, EventType.CREATE_REVOKE, EventType.USAGE],
  usageEventTypes: [SSO],
  map(event: OktaLogEvent) {
    const app = targetOf(event, "AppInstance");
    if (!app) return [];
    if (LIFECYCLE.includes(event.eventType)) return [resourceChange(APP_TYPE, app.id)];
    const appResource = resourceOfTarget(APP_TYPE, app);
    if (event.eventType === SSO) {
      const actor = event.actor;
      if (!actor || actor.type !== "User" || !actor.id) return [];
      return [usage(appResource, resourceOfTarget(USER_TYPE, actor))];
    }
    const entitlement = accessEntitlementOf(appResource);
    const toGroup = event.eventType === GROUP_ADDED || event.eventType === GROUP_REMOVED;
    const holder = toGroup ? targetOf(event, "UserGroup") : targetOf(event, "User");
    if (!holder) return [];
    const principal = resourceOfTarget(toGroup ? GROUP_TYPE : USER_TYPE, holder);
    const added = event.eventType === USER_ADDED || event.eventType === GROUP_ADDED;
    const grant = added ? grantCreated(entitlement, principal) : grantRevoked(entitlement, principal);
    // A group carries its app count (group-mappers.ts), so its resource changed too.
    return toGroup ? [grant, resourceChange(GROUP_TYPE, holder.id)] : [grant];
  },
};
