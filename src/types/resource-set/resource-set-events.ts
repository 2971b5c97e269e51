import { EventType } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { resourceChange } from "../shared/event-bodies.js";
import { type OktaLogEvent, type TypeEventMapping, targetOf } from "../shared/system-log.js";
import { RESOURCE_SET_TYPE } from "./resource-type.js";

/**
 * Custom-role bindings. Okta's `iam.resourceset.bindings.add` / `.delete` name only the resource set
 * (target ResourceSet): not the role, not the members. A binding grant's id
 * (`resourceset-binding:{set}:{role}:member:{type}:{id}`) cannot be built from that, so the event is a
 * ResourceChange of the resource set, which tells the engine where to re-read.
 */
export const resourceSetEvents: TypeEventMapping = {
  oktaEventTypes: ["iam.resourceset.bindings.add", "iam.resourceset.bindings.delete"],
  kinds: [EventType.RESOURCE_CHANGE],
  map(event: OktaLogEvent) {
    const set = targetOf(event, "ResourceSet");
    return set ? [resourceChange(RESOURCE_SET_TYPE, set.id)] : [];
  },
};
