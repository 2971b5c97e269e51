import { Code, ConnectError } from "@connectrpc/connect";
import type { ResourceId } from "../../gen/c1/connector/v2/resource_pb.js";
import { LIMITS, utf8Length } from "./limits.js";

/**
 * Request checks for the limits baton-sdk's PGV rules state. The engine never breaks them, so a
 * request that does is a bug or an attack; it gets INVALID_ARGUMENT with the field's wire name.
 */
export function invalid(field: string, problem: string): ConnectError {
  return new ConnectError(`${field}: ${problem}`, Code.InvalidArgument);
}

/**
 * page_size is only checked: pages follow the syncers' Okta page sizes (each endpoint's maximum), which
 * is what keeps a sync's Okta calls at the minimum. baton-sdk's engine never sets it.
 */
export function validatePageSize(pageSize: number, field = "page_size"): number {
  if (pageSize > LIMITS.pageSize) throw invalid(field, `${pageSize} exceeds ${LIMITS.pageSize}`);
  return pageSize === 0 ? LIMITS.pageSize : pageSize;
}

export function validateString(field: string, value: string, options: { required?: boolean; maxBytes: number }): void {
  if (value === "") {
    if (options.required) throw invalid(field, "is required");
    return;
  }
  const bytes = utf8Length(value);
  if (bytes > options.maxBytes) throw invalid(field, `is ${bytes} bytes, more than ${options.maxBytes}`);
  if (value.includes("\uFFFD")) throw invalid(field, "is not valid UTF-8");
}

export function validateResourceId(field: string, id: ResourceId | undefined, options: { required: boolean }): ResourceId | undefined {
  if (id === undefined) {
    if (options.required) throw invalid(field, "is required");
    return undefined;
  }
  validateString(`${field}.resource_type`, id.resourceType, { required: true, maxBytes: LIMITS.id });
  validateString(`${field}.resource`, id.resource, { required: true, maxBytes: LIMITS.id });
  return id;
}

export function validateCommon(req: { pageToken?: string; activeSyncId?: string }): void {
  if (req.pageToken !== undefined) validateString("page_token", req.pageToken, { maxBytes: LIMITS.pageToken });
  if (req.activeSyncId !== undefined) validateString("active_sync_id", req.activeSyncId, { maxBytes: LIMITS.activeSyncId });
}

/**
 * The shape of every id this connector issues: an Okta id (`00u1abcd…`, 20 characters), a role type
 * (`SUPER_ADMIN`), or a resource set binding's `{resource set id}:{custom role id}`.
 */
const ISSUED_ID = /^[A-Za-z0-9_]{1,64}(?::[A-Za-z0-9_]{1,64})?$/;

/**
 * For requests whose answer is built from the id alone, without asking Okta (ListEntitlements): an id
 * with characters no id of ours has (`../00u1`, NUL, `?`, `#`) is refused, rather than echoed into
 * entitlement ids an engine would store. ListGrants and GetResource refuse them when checking the Okta id.
 */
export function validateIssuedId(field: string, id: ResourceId): void {
  if (!ISSUED_ID.test(id.resource)) throw invalid(`${field}.resource`, `is not an id this connector issues (an Okta id, a role type, or a binding's "{resource set}:{role}")`);
}

/**
 * No resource of this connector announces a ChildResourceType, and baton-sdk's syncer sends
 * parent_resource_id only for the children a resource announces (research/baton-protocol.md §ChildResourceType),
 * so a parent can only come from a confused client: refused rather than silently ignored.
 */
export function refuseParent(parent: ResourceId | undefined, resourceTypeId: string): void {
  if (parent !== undefined) throw invalid("parent_resource_id", `resource type "${resourceTypeId}" has no parent resources in this connector; list it without parent_resource_id`);
}
