/**
 * The one place that turns a failed Okta call into an {@link OktaError}.
 *
 * Inputs are whatever the SDK and node-fetch throw: `OktaApiError` (any non-2xx with a JSON body),
 * `HttpError` (non-JSON bodies, or JSON whose `errorCauses` is not an array), node-fetch
 * `FetchError`s with a system `code`, `AbortError`, plus the executor's own give-up errors.
 * Every Okta E-code the connector reacts to is named in {@link OKTA_ERROR_CODES} and nowhere else.
 */

/** What went wrong, small enough for one switch in the protocol layer. */
export type OktaErrorKind =
  | "not-found"
  | "forbidden"
  | "unauthenticated"
  | "rate-limited"
  | "invalid"
  | "conflict"
  | "precondition"
  | "group-derived-assignment"
  | "unavailable"
  | "cancelled"
  | "unknown";

/** The `X-Rate-Limit-*` picture at the time of failure; `resetAt` is on the local clock. */
export interface OktaRateLimit {
  limit: number;
  remaining: number;
  resetAt: Date;
}

/** Okta error codes (errorCode in the JSON body) that change what the connector does. */
export const OKTA_ERROR_CODES = {
  /** 400 API validation failed; also a lifecycle call in the wrong state. */
  validationFailed: "E0000001",
  /** 400 request body not well-formed. */
  malformedBody: "E0000003",
  /** 403 the credential's admin role (or OAuth scope) lacks the permission; also APP_GROUP/BUILT_IN membership writes. */
  forbidden: "E0000006",
  /** 404 resource not found. */
  notFound: "E0000007",
  /** 404 requested path not found. */
  pathNotFound: "E0000008",
  /** 500 internal error, or a System Log query that timed out. */
  internal: "E0000009",
  /** 401 invalid, revoked or expired token. */
  invalidToken: "E0000011",
  /** 401 (sic) feature not enabled for this org: a permission problem, not an authentication one. */
  featureNotEnabled: "E0000015",
  /** 403 activation failed because the user is already active. */
  alreadyActive: "E0000016",
  /** 403 operation not allowed in the user's current status. */
  wrongUserStatus: "E0000038",
  /** 403 cannot unassign an app user whose access comes from a group assignment. */
  groupDerivedAssignment: "E0000046",
  /** 429 rate limit exceeded. */
  rateLimited: "E0000047",
  /** 409 duplicate app assignment. */
  duplicateAppAssignment: "E0000062",
  /** 409 the role is already assigned to the principal. */
  roleAlreadyAssigned: "E0000090",
  /** 409 the user is still activating. */
  userStillActivating: "E0000112",
  /** 403 apps cannot be assigned to an inactive user. */
  inactiveUserAssignment: "E0000117",
} as const;

const KIND_BY_CODE: Readonly<Record<string, OktaErrorKind>> = {
  [OKTA_ERROR_CODES.validationFailed]: "invalid",
  [OKTA_ERROR_CODES.malformedBody]: "invalid",
  [OKTA_ERROR_CODES.forbidden]: "forbidden",
  [OKTA_ERROR_CODES.notFound]: "not-found",
  [OKTA_ERROR_CODES.pathNotFound]: "not-found",
  [OKTA_ERROR_CODES.internal]: "unavailable",
  [OKTA_ERROR_CODES.invalidToken]: "unauthenticated",
  [OKTA_ERROR_CODES.featureNotEnabled]: "forbidden",
  [OKTA_ERROR_CODES.alreadyActive]: "conflict",
  [OKTA_ERROR_CODES.wrongUserStatus]: "precondition",
  [OKTA_ERROR_CODES.groupDerivedAssignment]: "group-derived-assignment",
  [OKTA_ERROR_CODES.rateLimited]: "rate-limited",
  [OKTA_ERROR_CODES.duplicateAppAssignment]: "conflict",
  [OKTA_ERROR_CODES.roleAlreadyAssigned]: "conflict",
  [OKTA_ERROR_CODES.userStillActivating]: "precondition",
  [OKTA_ERROR_CODES.inactiveUserAssignment]: "precondition",
};

/** Fields of an {@link OktaError}; everything but `kind` and `message` is optional. */
export interface OktaErrorInit {
  kind: OktaErrorKind;
  message: string;
  status?: number;
  errorCode?: string;
  errorSummary?: string;
  errorCauses?: string[];
  requestId?: string;
  rateLimit?: OktaRateLimit;
  cause?: unknown;
}

/** A failed Okta call, classified. Messages never contain credentials. */
export class OktaError extends Error {
  override readonly name = "OktaError";
  readonly kind: OktaErrorKind;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
  readonly errorCauses: string[];
  readonly requestId: string | undefined;
  readonly rateLimit: OktaRateLimit | undefined;

  constructor(init: OktaErrorInit) {
    super(redactSecrets(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.errorSummary = init.errorSummary === undefined ? undefined : redactSecrets(init.errorSummary);
    this.errorCauses = (init.errorCauses ?? []).map(redactSecrets);
    this.requestId = init.requestId;
    this.rateLimit = init.rateLimit;
  }
}

/** True for an {@link OktaError}, checked by name and fields so it survives module duplication. */
export function isOktaError(value: unknown): value is OktaError {
  return (
    value instanceof Error &&
    value.name === "OktaError" &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    Array.isArray((value as { errorCauses?: unknown }).errorCauses)
  );
}

/** The kind for an HTTP status when the body carries no known E-code. */
export function kindFromStatus(status: number): OktaErrorKind {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not-found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate-limited";
  if (status === 412) return "precondition";
  if (status >= 500) return "unavailable";
  if (status >= 400) return "invalid";
  return "unknown";
}

/** The kind for an Okta errorCode and HTTP status: the code wins when we know it. */
export function kindFromOktaError(status: number, errorCode: string | undefined): OktaErrorKind {
  return (errorCode !== undefined ? KIND_BY_CODE[errorCode] : undefined) ?? kindFromStatus(status);
}

/** Reads `name` off the header bag node-fetch attaches to SDK errors. */
interface HeaderReader {
  get(name: string): string | null;
}

/** The Okta error body; fields are optional because proxies and fakes send less. */
export interface OktaErrorBody {
  errorCode?: unknown;
  errorSummary?: unknown;
  errorCauses?: unknown;
  errorId?: unknown;
}

/** Builds an {@link OktaError} from a response the executor already read. */
export function oktaErrorFromResponse(input: {
  status: number;
  body: unknown;
  requestId?: string | undefined;
  rateLimit?: OktaRateLimit | undefined;
  context?: string;
}): OktaError {
  const body = (typeof input.body === "object" && input.body !== null ? input.body : {}) as OktaErrorBody;
  const errorCode = typeof body.errorCode === "string" ? body.errorCode : undefined;
  const errorSummary = typeof body.errorSummary === "string" ? body.errorSummary : undefined;
  const errorCauses = causesFrom(body.errorCauses);
  const kind = kindFromOktaError(input.status, errorCode);
  const head = [`HTTP ${input.status}`, errorCode, errorSummary].filter(Boolean).join(" ");
  const tail = input.context === undefined ? "" : ` (${input.context})`;
  return new OktaError({
    kind,
    message: `${head}${errorCauses.length ? `: ${errorCauses.join("; ")}` : ""}${tail}`,
    status: input.status,
    errorCode,
    errorSummary,
    errorCauses,
    requestId: input.requestId,
    rateLimit: input.rateLimit,
  });
}

/**
 * Converts anything thrown by an Okta call into an {@link OktaError}.
 * Pass-through for OktaError; OktaApiError and HttpError keep status, code and request id; network
 * failures become "unavailable"; aborts become "cancelled"; anything else is "unknown".
 */
export function oktaErrorFrom(error: unknown): OktaError {
  if (isOktaError(error)) return error;
  if (!(error instanceof Error)) {
    return new OktaError({ kind: "unknown", message: `non-error thrown: ${String(error)}`, cause: error });
  }
  const fields = error as Error & {
    status?: unknown;
    errorCode?: unknown;
    errorSummary?: unknown;
    errorCauses?: unknown;
    headers?: HeaderReader;
    code?: unknown;
    type?: unknown;
  };
  if (error.name === "OktaApiError" && typeof fields.status === "number") {
    const requestId = headerOf(fields.headers, "x-okta-request-id");
    const rebuilt = oktaErrorFromResponse({
      status: fields.status,
      body: { errorCode: fields.errorCode, errorSummary: fields.errorSummary, errorCauses: fields.errorCauses },
      requestId,
    });
    return new OktaError({ ...fieldsOf(rebuilt), cause: error });
  }
  if (error.name === "HttpError" && typeof fields.status === "number") {
    return new OktaError({
      kind: kindFromStatus(fields.status),
      message: `HTTP ${fields.status} with a non-Okta error body: ${truncate(error.message, 200)}`,
      status: fields.status,
      requestId: headerOf(fields.headers, "x-okta-request-id"),
      cause: error,
    });
  }
  if (error.name === "AbortError") {
    return new OktaError({ kind: "cancelled", message: "Okta call cancelled", cause: error });
  }
  if (error.name === "SyntaxError") {
    return new OktaError({ kind: "unavailable", message: `malformed JSON from Okta: ${error.message}`, cause: error });
  }
  if (typeof fields.code === "string" || error.name === "FetchError") {
    const code = typeof fields.code === "string" ? fields.code : String(fields.type ?? "network");
    return new OktaError({ kind: "unavailable", message: `network failure ${code}: ${error.message}`, cause: error });
  }
  return new OktaError({ kind: "unknown", message: error.message, cause: error });
}

function fieldsOf(error: OktaError): OktaErrorInit {
  return {
    kind: error.kind,
    message: error.message,
    status: error.status,
    errorCode: error.errorCode,
    errorSummary: error.errorSummary,
    errorCauses: error.errorCauses,
    requestId: error.requestId,
    rateLimit: error.rateLimit,
  };
}

function causesFrom(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((cause: unknown) =>
      typeof cause === "object" && cause !== null && typeof (cause as { errorSummary?: unknown }).errorSummary === "string"
        ? (cause as { errorSummary: string }).errorSummary
        : undefined,
    )
    .filter((summary): summary is string => summary !== undefined);
}

function headerOf(headers: HeaderReader | undefined, name: string): string | undefined {
  if (headers === undefined || typeof headers.get !== "function") return undefined;
  return headers.get(name) ?? undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b(SSWS|Bearer|DPoP)\s+[A-Za-z0-9._~+/=-]+/g, "$1 [redacted]"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, "[redacted private key]"],
  [/\b(client_assertion|access_token|token)=([^&\s"]+)/g, "$1=[redacted]"],
  [/"(access_token|client_assertion|token)"\s*:\s*"[^"]*"/g, '"$1":"[redacted]"'],
];

/** Strips Authorization values, PEM keys and token parameters from text bound for logs or errors. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
