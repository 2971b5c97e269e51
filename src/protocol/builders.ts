import { create, type JsonObject } from "@bufbuild/protobuf";
import { type Any, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Entitlement, Entitlement_PurposeValue, EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { type Grant, GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import {
  type Resource,
  type ResourceId,
  ResourceIdSchema,
  ResourceSchema,
  type ResourceType,
  Status_ResourceStatus,
} from "../../gen/c1/connector/v2/resource_pb.js";
import { entitlementId, grantId } from "./ids.js";

export { Status_ResourceStatus as ResourceStatus };

export function resourceId(resourceType: string, resource: string): ResourceId {
  return create(ResourceIdSchema, { resourceType, resource });
}

export interface ResourceInit {
  readonly type: ResourceType | string;
  readonly id: string;
  readonly displayName: string;
  readonly description?: string;
  readonly parent?: ResourceId;
  readonly annotations?: readonly Any[];
  readonly profile?: JsonObject;
  readonly status?: { readonly status: Status_ResourceStatus; readonly details?: string };
  readonly createdAt?: Date;
}

/** A Resource as baton-sdk's `NewResource` builds one; trait annotations are passed in `annotations`. */
export function newResource(init: ResourceInit): Resource {
  const typeId = typeof init.type === "string" ? init.type : init.type.id;
  return create(ResourceSchema, {
    id: resourceId(typeId, init.id),
    displayName: init.displayName,
    description: init.description ?? "",
    annotations: [...(init.annotations ?? [])],
    ...(init.parent ? { parentResourceId: init.parent } : {}),
    ...(init.profile ? { profile: structFrom(init.profile) } : {}),
    ...(init.status ? { status: { status: init.status.status, details: init.status.details ?? "" } } : {}),
    ...(init.createdAt ? { createdAt: timestampFromDate(init.createdAt) } : {}),
  });
}

export interface EntitlementInit {
  readonly slug: string;
  readonly displayName: string;
  readonly description: string;
  readonly grantableTo?: readonly ResourceType[];
  readonly annotations?: readonly Any[];
}

/** An ASSIGNMENT entitlement on `resource`, with the `{type}:{id}:{slug}` id (baton-sdk's `NewAssignmentEntitlement`). */
export function newAssignmentEntitlement(resource: Resource, init: EntitlementInit): Entitlement {
  const id = resource.id!;
  return create(EntitlementSchema, {
    id: entitlementId(id.resourceType, id.resource, init.slug),
    resource,
    displayName: init.displayName,
    description: init.description,
    slug: init.slug,
    purpose: Entitlement_PurposeValue.ASSIGNMENT,
    grantableTo: [...(init.grantableTo ?? [])],
    annotations: [...(init.annotations ?? [])],
  });
}

/**
 * A grant of `entitlement` to `principal`. As baton-sdk's `NewGrant` does, the embedded entitlement
 * carries only its id and resource, and the principal only its id, keeping grant pages small.
 */
export function newGrant(entitlement: Entitlement, principal: ResourceId, annotations: readonly Any[] = []): Grant {
  return create(GrantSchema, {
    id: grantId(entitlement.id, principal.resourceType, principal.resource),
    entitlement: embeddedEntitlementOf(entitlement),
    principal: { id: principal },
    annotations: [...annotations],
  });
}

/**
 * The grants of one entitlement share one embedded entitlement message: a page of members then holds
 * one copy, and the sync encodes it once (encoded-items.ts). Like every message, it is not changed
 * after it is built; an entitlement whose id or resource did change gets a fresh one.
 */
const embeddedEntitlements = new WeakMap<Entitlement, Entitlement>();
function embeddedEntitlementOf(entitlement: Entitlement): Entitlement {
  const known = embeddedEntitlements.get(entitlement);
  if (known !== undefined && known.id === entitlement.id && known.resource === entitlement.resource) return known;
  const embedded = create(EntitlementSchema, { id: entitlement.id, resource: entitlement.resource });
  embeddedEntitlements.set(entitlement, embedded);
  return embedded;
}

/**
 * Okta profiles as the JSON a google.protobuf.Struct field holds (protobuf-es represents Struct fields
 * as JsonObject). Null values are kept, since a cleared attribute is information too.
 */
export function structFrom(value: JsonObject): JsonObject {
  return sanitizeJson(value) as JsonObject;
}

/** Drops undefined, turns Dates into ISO strings and non-finite numbers into null, so any Okta profile converts. */
function sanitizeJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => sanitizeJson(v) ?? null);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const s = sanitizeJson(v);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  return value;
}
