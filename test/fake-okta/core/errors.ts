/**
 * Okta's error JSON and the E-codes the simulator answers with (okta-api.md §4). `errorCauses` is always an
 * array: the Node SDK turns any other shape into a plain HttpError instead of an OktaApiError.
 */
import { newErrorId } from "./okta-ids.js";

/** The body Okta sends with every 4xx and 5xx. */
export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** An error a handler throws; the server turns it into an Okta error response. */
export interface SimHttpError extends Error {
  readonly simHttpError: true;
  readonly status: number;
  readonly body: OktaErrorBody;
  readonly headers: Record<string, string>;
}

/** The E-codes the simulator uses, with their HTTP status and Okta's summary text. */
export const OKTA_ERRORS = {
  E0000001: { status: 400, summary: "Api validation failed: {0}" },
  E0000003: { status: 400, summary: "The request body was not well-formed." },
  E0000006: { status: 403, summary: "You do not have permission to perform the requested action" },
  E0000007: { status: 404, summary: "Not found: Resource not found: {0}" },
  E0000008: { status: 404, summary: "The requested path was not found" },
  E0000009: { status: 500, summary: "Internal Server Error" },
  E0000011: { status: 401, summary: "Invalid token provided" },
  E0000016: { status: 403, summary: "Activation failed because the user is already active" },
  E0000022: { status: 405, summary: "The endpoint does not support the provided HTTP method" },
  E0000031: { status: 400, summary: "Invalid search criteria." },
  E0000033: { status: 400, summary: "Search and filter are not supported together." },
  E0000038: { status: 403, summary: "This operation is not allowed in the user's current status." },
  E0000046: { status: 403, summary: "Deactivate application for user forbidden." },
  E0000047: { status: 429, summary: "API call exceeded rate limit due to too many requests." },
  E0000053: { status: 400, summary: "Invalid filter parameter." },
  E0000056: { status: 403, summary: "Delete application forbidden." },
  E0000090: { status: 409, summary: "The role specified is already assigned to the user." },
  E0000117: { status: 403, summary: "Apps cannot be assigned to an inactive user." },
  E0000124: { status: 400, summary: "Could not create user. To create a user and expire their password immediately, a password must be specified" },
  E0000125: { status: 400, summary: "Could not create user. To create a user and expire their password immediately, \"activate\" must be true" },
} as const;

/** One of the E-codes above. */
export type OktaErrorCode = keyof typeof OKTA_ERRORS;

/** Builds Okta's error body; `detail` fills the `{0}` of summaries such as E0000007's. */
export function oktaErrorBody(code: OktaErrorCode, detail = "", causes: string[] = []): OktaErrorBody {
  const summary = OKTA_ERRORS[code].summary.replace("{0}", detail);
  return {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: newErrorId(),
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
}

/** Creates a throwable error that answers with `code`'s status and body. */
export function simError(code: OktaErrorCode, options: { detail?: string; causes?: string[]; headers?: Record<string, string>; status?: number } = {}): SimHttpError {
  const body = oktaErrorBody(code, options.detail ?? "", options.causes ?? []);
  const error = new Error(body.errorSummary) as Error & { simHttpError: true; status: number; body: OktaErrorBody; headers: Record<string, string> };
  error.simHttpError = true;
  error.status = options.status ?? OKTA_ERRORS[code].status;
  error.body = body;
  error.headers = options.headers ?? {};
  return error;
}

/** True for errors built by {@link simError}. */
export function isSimHttpError(value: unknown): value is SimHttpError {
  return typeof value === "object" && value !== null && (value as { simHttpError?: unknown }).simHttpError === true;
}

/** 404 E0000007 for an unknown id, in Okta's words: `Not found: Resource not found: 00u… (User)`. */
export function notFound(id: string, type: string): SimHttpError {
  return simError("E0000007", { detail: `${id} (${type})` });
}

/** 400 E0000001 with one cause per failed field (`login: An object with this field already exists…`). */
export function validationFailed(what: string, causes: string[]): SimHttpError {
  return simError("E0000001", { detail: what, causes });
}

/** 403 E0000006, the answer to anything the credential's role or scopes do not allow. */
export function forbidden(headers: Record<string, string> = {}): SimHttpError {
  return simError("E0000006", { headers });
}
