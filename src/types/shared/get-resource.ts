import type { ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";
import { isOktaFailure } from "./provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "./request-fields.js";

/**
 * The answers GetResource gives besides a resource. baton-sdk's targeted sync stores whatever
 * GetResource returns (events-and-posture.md §2), so a resource the listing leaves out under the
 * current flags must answer NOT_FOUND too, and say which flag left it out: the operator can tell
 * "deleted in Okta" from "not synced here". Every message starts with the request field, which the
 * getter service keeps (an Okta 404 without one gets the service's own message).
 */

/** NOT_FOUND: Okta has the resource, but a listing with this configuration does not hold it. */
export function leftOutByListing(id: ResourceId, why: string): ConnectorError {
  return new ConnectorError("not-found", `${GET_RESOURCE_ID_FIELD}: ${id.resourceType} "${id.resource}" is not synced: ${why}`);
}

/** NOT_FOUND: Okta answered with a different object (a path that also takes a label or login). */
export function notThatResource(id: ResourceId): ConnectorError {
  return new ConnectorError("not-found", `${GET_RESOURCE_ID_FIELD}: ${id.resourceType} "${id.resource}" not found`);
}

/**
 * PERMISSION_DENIED, as an Okta 403 on any read maps: the credential cannot read this type (the
 * listing reports the same gap and holds nothing). It is the credential, not the request, that must
 * change, and the message names what is missing.
 */
export function unreadableType(id: ResourceId, gap: CoverageGap): ConnectorError {
  return new ConnectorError("forbidden", `${GET_RESOURCE_ID_FIELD}: ${id.resourceType} resources cannot be read with this credential: ${gap.detail}`);
}

/** PERMISSION_DENIED before any read when `unreadable` (a cached access answer) says the type cannot be read. */
export async function requireReadable(id: ResourceId, unreadable: (ctx: SyncCallContext) => Promise<CoverageGap | undefined>, ctx: SyncCallContext): Promise<void> {
  const gap = await unreadable(ctx);
  if (gap) throw unreadableType(id, gap);
}

/**
 * Runs the Okta reads of a GetResource for a type whose access is probed (`unreadable`, cached).
 * The read goes first, so a credential that may read costs no probe; only Okta's 403 asks the probe,
 * to name what is missing.
 */
export async function readOrExplain<T>(id: ResourceId, unreadable: (ctx: SyncCallContext) => Promise<CoverageGap | undefined>, ctx: SyncCallContext, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isOktaFailure(error, "forbidden")) throw error;
    const gap = await unreadable(ctx);
    throw gap ? unreadableType(id, gap) : error;
  }
}
