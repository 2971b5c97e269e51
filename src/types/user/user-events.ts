import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { resourceChange } from "../shared/event-bodies.js";
import { type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { USER_TYPE } from "./resource-type.js";

/**
 * User lifecycle, profile and password changes (events-and-posture.md §4): each changes the user
 * resource's status, status detail or profile, so each is a ResourceChange of `user:{id}`. There is no "created" event in
 * baton's protocol; a created user is a change of a resource the engine has not seen yet.
 */
export const userEvents: TypeEventMapping = {
  oktaEventTypes: [
    "user.lifecycle.create",
    "user.lifecycle.activate",
    "user.lifecycle.deactivate",
    "user.lifecycle.suspend",
    "user.lifecycle.unsuspend",
    "user.lifecycle.reactivate",
    "user.lifecycle.delete.initiated",
    "user.account.update_profile",
    // The user's status detail names the day its password last changed (issue 15 item 4); a reset
    // also moves the user to RECOVERY.
    "user.account.update_password",
    "user.account.reset_password",
    "user.account.lock",
    "user.account.unlock",
  ],
  kinds: [EventType.RESOURCE_CHANGE],
  map(event: OktaLogEvent) {
    const user = targetOf(event, "User");
    return user ? [resourceChange(USER_TYPE, user.id)] : [];
  },
};
