import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../../gen/c1/connector/v2/grant_pb.js";
import type { ResourceId } from "../../../gen/c1/connector/v2/resource_pb.js";
import { type CallOptions, isOktaError, type OktaErrorKind, type OktaIdKind, validateOktaId } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import { grantId } from "../../protocol/ids.js";
import type { ProvisionCallContext } from "../../protocol/resource-syncer.js";

/**
 * Checks every provisioning method of the syncers shares: request ids validated before they can
 * reach an Okta URL (with the request field named), entitlements and grant ids matched against what
 * the syncer itself builds (ids are compared, never taken apart), and principals of the right type.
 */

/** The Okta call options of a provisioning call: its cancellation and its deadline. */
export function callOptions(ctx: ProvisionCallContext): CallOptions {
  return { signal: ctx.signal, deadlineMs: ctx.deadlineMs };
}

/** `id.resource` as an Okta id of `kind`; INVALID_ARGUMENT naming `field` (e.g. `principal.id.resource`) otherwise. */
export function oktaIdOf(kind: OktaIdKind, id: ResourceId, field: string): string {
  return validateOktaId(kind, id.resource, field);
}

/** NOT_FOUND unless `entitlement` is the entitlement this syncer builds for its resource. */
export function requireEntitlement(entitlement: Entitlement, expected: Entitlement, field: string): void {
  if (entitlement.id === expected.id) return;
  throw new ConnectorError("not-found", `${field}.id: "${entitlement.id}" is not an entitlement of this connector (the ${expected.slug} entitlement of that resource is "${expected.id}")`);
}

/** A user, group or OAuth service app principal (by baton type id) and its Okta id (a client id for a service app). */
export interface Principal {
  readonly type: "user" | "group" | "service-app";
  readonly id: string;
}

/** Who may hold an admin role, standard or custom: users, groups and OAuth service apps. */
export const ROLE_PRINCIPAL_TYPES: readonly Principal["type"][] = ["user", "group", "service-app"];

/** How each principal type's id is validated before it reaches an Okta URL. */
const PRINCIPAL_ID_KIND: Readonly<Record<Principal["type"], OktaIdKind>> = { user: "user", group: "group", "service-app": "oauthClient" };

/** The principal, when its type is one of `allowed`; INVALID_ARGUMENT otherwise. */
export function principalOf(id: ResourceId, allowed: readonly Principal["type"][], field: string): Principal {
  const type = id.resourceType;
  if (!(allowed as readonly string[]).includes(type)) {
    throw new ConnectorError("invalid", `${field}.resource_type: "${type}" cannot hold this entitlement (it is granted to ${allowed.join(" or ")} principals)`);
  }
  // One of `allowed`, checked above, and so a key of PRINCIPAL_ID_KIND.
  const kind = type as Principal["type"];
  return { type: kind, id: oktaIdOf(PRINCIPAL_ID_KIND[kind], id, `${field}.resource`) };
}

/** INVALID_ARGUMENT when a revoke's grant id disagrees with its own entitlement and principal. */
export function requireGrantId(grant: Grant, principal: Principal): void {
  if (grant.id === "") return;
  const expected = grantId(grant.entitlement!.id, principal.type, principal.id);
  if (grant.id !== expected) throw new ConnectorError("invalid", `grant.id: "${grant.id}" does not match its entitlement and principal ("${expected}")`);
}

/** True for an Okta failure of `kind` (e.g. "not-found"), whatever layer threw it. */
export function isOktaFailure(error: unknown, kind: OktaErrorKind): boolean {
  return isOktaError(error) && error.kind === kind;
}

/**
 * Runs `call`; Okta's 404 becomes NOT_FOUND naming `field`, the request field that carried the id
 * Okta does not know (`what`, e.g. `user "00u…"`), so the engine sees which input was wrong.
 */
export async function notFoundAs<T>(field: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isOktaFailure(error, "not-found")) throw new ConnectorError("not-found", `${field}: Okta has no ${what}`, { cause: error });
    throw error;
  }
}

/** An id a provisioning call sent to Okta, with the request field it came from and what it names. */
export interface RequestId {
  readonly id: string;
  readonly field: string;
  readonly what: string;
}

/**
 * Okta's 404 on a write names the missing object (E0000007 "Resource not found: 00u… (User)"). Returns
 * NOT_FOUND naming the request field whose id Okta reported, or `error` unchanged when it is not a
 * 404 or names none of `ids`.
 */
export function notFoundNamingId(error: unknown, ids: readonly RequestId[]): unknown {
  if (!isOktaFailure(error, "not-found")) return error;
  const missing = ids.find((c) => (error as Error).message.includes(c.id));
  return missing === undefined ? error : new ConnectorError("not-found", `${missing.field}: Okta has no ${missing.what} "${missing.id}"`, { cause: error });
}

/** Runs `call`, answering `fallback` when Okta says the thing is not there (404). */
export async function unlessNotFound<T>(call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isOktaFailure(error, "not-found")) return fallback;
    throw error;
  }
}
