import { create } from "@bufbuild/protobuf";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import {
  CreateGrantEventSchema,
  CreateRevokeEventSchema,
  ResourceChangeEventSchema,
  UsageEventSchema,
} from "../../../gen/c1/connector/v2/event_feed_pb.js";
import type { Resource, ResourceType } from "../../../gen/c1/connector/v2/resource_pb.js";
import { newResource, resourceId } from "../../protocol/builders.js";
import { nameOf, type EventBody, type OktaLogTarget } from "./system-log.js";

/**
 * The baton event bodies the System Log maps to. A log event names its targets by id and display
 * name only, so resources built here carry the id a sync emits and the name the log gives, nothing
 * more: an engine keys on the ids and re-reads the resource (GetResource) for the rest.
 */

/** The resource a log target names, as `type`. */
export function resourceOfTarget(type: ResourceType, target: OktaLogTarget): Resource {
  return newResource({ type, id: target.id, displayName: nameOf(target) });
}

export function resourceChange(type: Pick<ResourceType, "id">, id: string): EventBody {
  return { case: "resourceChangeEvent", value: create(ResourceChangeEventSchema, { resourceId: resourceId(type.id, id) }) };
}

/** Access granted: the grant the next sync lists is `{entitlement.id}:{principal type}:{principal id}`. */
export function grantCreated(entitlement: Entitlement, principal: Resource): EventBody {
  return { case: "createGrantEvent", value: create(CreateGrantEventSchema, { entitlement, principal }) };
}

/** Access revoked: the grant with that id is gone from the next sync. */
export function grantRevoked(entitlement: Entitlement, principal: Resource): EventBody {
  return { case: "createRevokeEvent", value: create(CreateRevokeEventSchema, { entitlement, principal }) };
}

/** `actor` used `target` (a sign-in to an app). */
export function usage(target: Resource, actor: Resource): EventBody {
  return { case: "usageEvent", value: create(UsageEventSchema, { targetResource: target, actorResource: actor }) };
}
