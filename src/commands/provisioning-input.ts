import { readFileSync } from "node:fs";
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

/** `host:port`, `[v6]:port`, `http(s)://host:port` or `unix:///absolute/path`. */
export function validateConnectorAddress(value: string | undefined): string {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") throw new ConfigError("connector", "is required (or env BATON_CONNECTOR)", "give the connector's address, e.g. --connector 127.0.0.1:50051");
  if (trimmed.startsWith("unix://")) {
    if (!trimmed.slice("unix://".length).startsWith("/")) throw new ConfigError("connector", `unix socket path must be absolute (got "${trimmed}")`, "use unix:///run/okta-connector.sock");
    return trimmed;
  }
  let url: URL | undefined;
  try {
    url = new URL(/^https?:\/\//.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === "" || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.username !== "") {
    throw new ConfigError("connector", `"${trimmed}" is not host:port, http(s)://host[:port] or unix:///path`, "use e.g. 127.0.0.1:50051");
  }
  return trimmed;
}

/** The bearer token from a file (trimmed); errors name the file, never its content. */
export function readBearerToken(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let token: string;
  try {
    token = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new ConfigError("auth-token-file", `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (token === "") throw new ConfigError("auth-token-file", `${path} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ConfigError("auth-token-file", `${path} holds characters a bearer token cannot carry (whitespace or non-ASCII)`);
  return token;
}
