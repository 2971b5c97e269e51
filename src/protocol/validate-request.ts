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
