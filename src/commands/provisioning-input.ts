import { ConfigError } from "../config/index.js";

/**
 * Input checks of the `grant` and `revoke` commands. Entitlement and grant ids are this connector's
 * own (protocol/ids.ts), so the CLI may take them apart to build the request messages; the server
 * never does, it routes by the structured resource ids those messages carry.
 */

/** The parts of `{resourceType}:{resourceId}:{slug}`; the resource id may itself hold ':' (resource-set bindings). */
export interface EntitlementIdParts {
  readonly id: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly slug: string;
}

/** The parts of `{entitlementId}:{principalType}:{principalId}`. */
export interface GrantIdParts {
  readonly id: string;
  readonly entitlement: EntitlementIdParts;
  readonly principalType: string;
  readonly principalId: string;
}

export function parseEntitlementId(flag: string, value: string): EntitlementIdParts {
  const first = value.indexOf(":");
  const last = value.lastIndexOf(":");
  if (first <= 0 || last <= first + 1 || last === value.length - 1) {
    throw new ConfigError(flag, `"${value}" is not an entitlement id (type:resource:slug)`, "e.g. group:00g1abcd:member, app:0oa1abcd:access or role:SUPER_ADMIN:assigned");
  }
  return { id: value, resourceType: value.slice(0, first), resource: value.slice(first + 1, last), slug: value.slice(last + 1) };
}

export function parsePrincipal(flag: string, value: string): { resourceType: string; resource: string } {
  const colon = value.indexOf(":");
  if (colon <= 0 || colon === value.length - 1) throw new ConfigError(flag, `"${value}" is not TYPE:ID`, "e.g. user:00u1abcd or group:00g1abcd");
  return { resourceType: value.slice(0, colon), resource: value.slice(colon + 1) };
}

export function parseGrantId(flag: string, value: string): GrantIdParts {
  const last = value.lastIndexOf(":");
  const second = last > 0 ? value.lastIndexOf(":", last - 1) : -1;
  if (second <= 0 || last === second + 1 || last === value.length - 1) {
    throw new ConfigError(flag, `"${value}" is not a grant id (entitlement id:principal type:principal id)`, "e.g. group:00g1abcd:member:user:00u1abcd");
  }
  return {
    id: value,
    entitlement: parseEntitlementId(flag, value.slice(0, second)),
    principalType: value.slice(second + 1, last),
    principalId: value.slice(last + 1),
  };
}
