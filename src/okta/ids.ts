/**
 * Validation of Okta ids that arrive from requests (page tokens, grant ids, provisioning calls) before
 * they are put into a URL path. An id that passes can never change which Okta path is called: no
 * `/`, `..`, `%`, `?`, `#`, whitespace or control characters get through.
 *
 * Real formats: users `00u…`, groups `00g…`, apps `0oa…`, custom roles `cr0…`, resource sets `iam…`,
 * binding members and custom-role assignments `irb…`, standard-role assignments `ra…` or opaque
 * base32 strings (`IFIFAX2BIRGUSTQ`), API tokens `00T…`, all alphanumeric and 20-ish characters. Prefixes are not
 * enforced: older orgs and Okta's own examples vary, and an id with the wrong prefix is harmless
 * (Okta answers 404). Standard role types are upper-case words joined by `_` (`SUPER_ADMIN`).
 */
import { OktaError } from "./errors.js";

/**
 * Which kind of id a value claims to be; named in error messages. The kinds listed here have a format
 * of their own or are the core types'; any other name (a type's own, such as "device") is checked as
 * an alphanumeric Okta id, so adding a resource type does not edit this file.
 */
export type OktaIdKind = KnownOktaIdKind | (string & {});

type KnownOktaIdKind =
  | "user"
  | "group"
  | "app"
  | "roleAssignment"
  | "roleType"
  | "customRole"
  | "resourceSet"
  | "resourceSetResource"
  | "bindingMember"
  | "oauthClient";

/** Longest id we accept. Okta ids are 20 characters today; the headroom costs nothing. */
export const MAX_OKTA_ID_LENGTH = 64;

const ALPHANUMERIC = /^[A-Za-z0-9]+$/;
const ROLE_TYPE = /^[A-Z][A-Z0-9_]*$/;
/** OAuth client ids are alphanumeric too, but some tenants' imported clients use `-` and `_`. */
const CLIENT_ID = /^[A-Za-z0-9_-]+$/;

const PATTERN: Readonly<Record<KnownOktaIdKind, RegExp>> = {
  user: ALPHANUMERIC,
  group: ALPHANUMERIC,
  app: ALPHANUMERIC,
  roleAssignment: ALPHANUMERIC,
  roleType: ROLE_TYPE,
  customRole: ALPHANUMERIC,
  resourceSet: ALPHANUMERIC,
  resourceSetResource: ALPHANUMERIC,
  bindingMember: ALPHANUMERIC,
  oauthClient: CLIENT_ID,
};

/**
 * Returns `value` when it is a well-formed Okta id of `kind`, else throws OktaError kind "invalid"
 * naming the field (`field` defaults to the kind, e.g. "userId").
 */
export function validateOktaId(kind: OktaIdKind, value: unknown, field: string = `${kind}Id`): string {
  if (typeof value !== "string") {
    throw invalid(field, `${field} must be a string, got ${typeof value}`);
  }
  if (value.length === 0) throw invalid(field, `${field} is empty`);
  if (value.length > MAX_OKTA_ID_LENGTH) {
    throw invalid(field, `${field} length ${value.length} exceeds ${MAX_OKTA_ID_LENGTH}`);
  }
  if (!((PATTERN as Readonly<Record<string, RegExp>>)[kind] ?? ALPHANUMERIC).test(value)) {
    throw invalid(field, `${field} ${JSON.stringify(preview(value))} is not a valid Okta ${kind} id`);
  }
  return value;
}

/** Longest `after` cursor we pass back to Okta; real ones are ids or `<ms>_<n>`. */
export const MAX_CURSOR_LENGTH = 1024;

/**
 * Checks an opaque `after` cursor before it goes into a query string. It is percent-encoded there, so
 * this only bounds its size and rejects control characters that no Okta cursor contains.
 */
export function validateCursor(value: unknown, field = "after"): string {
  if (typeof value !== "string") throw invalid(field, `${field} must be a string, got ${typeof value}`);
  if (value.length === 0) throw invalid(field, `${field} is empty`);
  if (value.length > MAX_CURSOR_LENGTH) {
    throw invalid(field, `${field} length ${value.length} exceeds ${MAX_CURSOR_LENGTH}`);
  }
  if (hasControlCharacter(value)) throw invalid(field, `${field} contains control characters`);
  return value;
}

function invalid(field: string, message: string): OktaError {
  return new OktaError({ kind: "invalid", message, errorSummary: field });
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function preview(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
