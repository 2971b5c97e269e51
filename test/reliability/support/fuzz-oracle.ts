import type { DescField, DescMessage, DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { RequestLogEntry } from "../../fake-okta/index.js";
import { type CallOutcome, OK } from "./fuzz-call.js";
import { methodKey } from "./fuzz-methods.js";

/**
 * What a fuzzed call may answer, what its message must say, and which Okta requests it may cause.
 */

/** The answers every RPC may give to hostile input. */
const BASE_CODES: readonly Code[] = [OK, Code.InvalidArgument, Code.NotFound, Code.FailedPrecondition];

/**
 * Codes a method may add because the connector documents them for an unsupported feature: a resource
 * type without GetResource, Grant, CreateAccount or delete support, and services Okta has no
 * counterpart for (tickets, credential rotation, CreateResource).
 */
const DOCUMENTED_EXTRA: Readonly<Record<string, readonly Code[]>> = {
  "c1.connector.v2.ResourceGetterService/GetResource": [Code.Unimplemented],
  "c1.connector.v2.GrantManagerService/Grant": [Code.Unimplemented],
  "c1.connector.v2.GrantManagerService/Revoke": [Code.Unimplemented],
  "c1.connector.v2.AccountManagerService/CreateAccount": [Code.Unimplemented],
  "c1.connector.v2.ResourceDeleterService/DeleteResourceV2": [Code.Unimplemented],
  "c1.connector.v2.ResourceManagerService/DeleteResource": [Code.Unimplemented],
  "c1.connector.v2.ResourceManagerService/CreateResource": [Code.Unimplemented],
  "c1.connector.v2.CredentialManagerService/RotateCredential": [Code.Unimplemented],
  "c1.connector.v2.CredentialManagerService/IssueCredential": [Code.Unimplemented],
};

/** Services whose every method answers UNIMPLEMENTED (Okta has no tickets). */
const UNIMPLEMENTED_SERVICES = new Set(["c1.connector.v2.TicketsService"]);

export function allowedCodes(method: DescMethod): readonly Code[] {
  const extra = UNIMPLEMENTED_SERVICES.has(method.parent.typeName) ? [Code.Unimplemented] : (DOCUMENTED_EXTRA[methodKey(method)] ?? []);
  return [...BASE_CODES, ...extra];
}

/**
 * Messages fixed by a standard protocol rather than by the connector: grpc.health.v1 answers an
 * unknown service with NOT_FOUND "unknown service …" (the field is `service`, the only one).
 */
const PROTOCOL_MESSAGES: Readonly<Record<string, RegExp>> = {
  "grpc.health.v1.Health/Check": /^service: unknown service "/,
};

/** Codes whose message must start with the offending request field. */
const FIELD_CODES = new Set<Code>([Code.InvalidArgument, Code.NotFound, Code.FailedPrecondition]);

/** The leading field path of a status message (`entitlement.resource.id.resource: …`), if it has one. */
export function leadingFieldPath(message: string): string | undefined {
  return /^([a-z][a-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*)(?=[: ])/.exec(message)?.[1];
}

/**
 * True when `path` names a field of `desc` by its wire (snake_case) names. Below a Struct, Value or
 * map the path continues into free-form keys, which any segment may name.
 */
export function fieldPathResolves(desc: DescMessage, path: string): boolean {
  let current: DescMessage | undefined = desc;
  for (const raw of path.split(".")) {
    if (current === undefined) return false;
    const name = raw.replace(/\[\d+\]$/, "");
    const field: DescField | undefined = current.fields.find((f) => f.name === name);
    if (!field) return false;
    if (field.fieldKind === "map") return true;
    const next: DescMessage | undefined = field.fieldKind === "message" ? field.message : field.fieldKind === "list" && field.listKind === "message" ? field.message : undefined;
    if (next && (next.typeName === "google.protobuf.Struct" || next.typeName === "google.protobuf.Value")) return true;
    current = next;
  }
  return true;
}

/** Problems with one outcome, as readable strings (empty when the outcome is acceptable). */
export function judgeOutcome(method: DescMethod, outcome: CallOutcome): string[] {
  const problems: string[] = [];
  if (!allowedCodes(method).includes(outcome.code)) problems.push(`code ${Code[outcome.code]} is not allowed for ${methodKey(method)}: ${outcome.message.slice(0, 300)}`);
  const protocolMessage = PROTOCOL_MESSAGES[methodKey(method)];
  if (protocolMessage !== undefined && outcome.code !== OK) {
    if (!protocolMessage.test(outcome.message)) problems.push(`message is not the protocol's: ${JSON.stringify(outcome.message.slice(0, 300))}`);
  } else if (FIELD_CODES.has(outcome.code)) {
    const path = leadingFieldPath(outcome.message);
    if (path === undefined || !fieldPathResolves(method.input, path)) {
      problems.push(`${Code[outcome.code]} message does not start with a field of ${method.input.typeName}: ${JSON.stringify(outcome.message.slice(0, 300))}`);
    }
  }
  return problems;
}

/** Okta's routes the connector may call, as the simulator declares them; `:param`s are filled below. */
const OKTA_ROUTES: readonly string[] = [
  "/api/v1/org",
  "/api/v1/logs",
  "/api/v1/users",
  "/api/v1/users/:id",
  "/api/v1/users/:id/groups",
  "/api/v1/users/:id/roles",
  "/api/v1/users/:id/roles/:id",
  "/api/v1/users/:id/lifecycle/:word",
  "/api/v1/groups",
  "/api/v1/groups/:id",
  "/api/v1/groups/:id/users",
  "/api/v1/groups/:id/users/:id",
  "/api/v1/groups/:id/apps",
  "/api/v1/groups/:id/roles",
  "/api/v1/groups/:id/roles/:id",
  "/api/v1/apps",
  "/api/v1/apps/:id",
  "/api/v1/apps/:id/users",
  "/api/v1/apps/:id/users/:id",
  "/api/v1/apps/:id/groups",
  "/api/v1/apps/:id/groups/:id",
  "/api/v1/apps/:id/lifecycle/:word",
  "/api/v1/iam/assignees/users",
  "/api/v1/iam/roles",
  "/api/v1/iam/roles/:role",
  "/api/v1/iam/roles/:role/permissions",
  "/api/v1/iam/resource-sets",
  "/api/v1/iam/resource-sets/:id",
  "/api/v1/iam/resource-sets/:id/resources",
  "/api/v1/iam/resource-sets/:id/bindings",
  "/api/v1/iam/resource-sets/:id/bindings/:role",
  "/api/v1/iam/resource-sets/:id/bindings/:role/members",
  "/api/v1/iam/resource-sets/:id/bindings/:role/members/:id",
  "/api/v1/users/:id/factors",
  "/api/v1/groups/rules",
  "/api/v1/groups/rules/:id",
  "/api/v1/devices",
  "/api/v1/devices/:id",
  "/api/v1/devices/:id/users",
  "/api/v1/api-tokens",
  "/api/v1/api-tokens/:id",
  "/oauth2/v1/clients/:client/roles",
  "/oauth2/v1/clients/:client/roles/:id",
];

/** Okta ids are alphanumeric; role types and labels add `_`, OAuth client ids `_` and `-`; lifecycle operations are words. */
const SEGMENT: Readonly<Record<string, string>> = { ":id": "[A-Za-z0-9]+", ":role": "[A-Za-z0-9_]+", ":word": "[a-z_]+", ":client": "[A-Za-z0-9_-]+" };

const ROUTE_PATTERNS: readonly RegExp[] = OKTA_ROUTES.map(
  (route) => new RegExp(`^${route.split("/").map((s) => SEGMENT[s] ?? s.replace(/[.-]/g, "\\$&")).join("/")}$`),
);

/**
 * A query string as the Okta client writes it: `name=value` pairs, names from Okta's parameters,
 * values percent-encoded (so nothing from a request can add a parameter or a fragment).
 */
const QUERY_PAIR = /^[A-Za-z]+=[A-Za-z0-9%._~*+-]*$/;

/** Whether the simulator's log entry is a request to one of Okta's routes with well-formed ids. */
export function isIntendedOktaRequest(entry: RequestLogEntry): boolean {
  const [path = "", query] = splitOnce(entry.path, "?");
  if (!ROUTE_PATTERNS.some((p) => p.test(path))) return false;
  return query === undefined || query.split("&").every((pair) => QUERY_PAIR.test(pair));
}

/** Write requests (POST/PUT/PATCH/DELETE). The capability probe's DELETEs of a fixed, non-existent id are not counted. */
export function writesIn(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((e) => e.method !== "GET" && !e.path.includes("connectorcapabilityprobe"));
}

/** Writes Okta carried out (2xx). A write Okta refused (404 for an unknown principal) changed nothing. */
export function effectiveWritesIn(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return writesIn(entries).filter((e) => e.status >= 200 && e.status < 300);
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const i = value.indexOf(separator);
  return i < 0 ? [value, undefined] : [value.slice(0, i), value.slice(i + 1)];
}
