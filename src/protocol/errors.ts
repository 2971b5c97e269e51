import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  RateLimitDescriptionSchema,
  RateLimitDescription_Status,
} from "../../gen/c1/connector/v2/annotation_ratelimit_pb.js";

/**
 * The closed set of failures the layers below report. The Okta access layer's OktaError and the
 * syncers' ConnectorError both carry one of these kinds; this module is the one table from kind to
 * gRPC code, so the mapping is decided once.
 */
export type FailureKind =
  | "invalid"
  | "not-found"
  | "forbidden"
  | "unauthenticated"
  | "rate-limited"
  | "unavailable"
  | "conflict"
  | "failed-precondition"
  | "precondition"
  | "group-derived-assignment"
  | "cancelled"
  | "unknown";

export interface RateLimitInfo {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: Date;
}

/** A failure with a kind, as thrown by syncers and the Okta access layer. */
export interface KindedError extends Error {
  readonly kind: FailureKind;
  readonly rateLimit?: RateLimitInfo | undefined;
}

/** An error a syncer throws for a reason of its own (a refused grant, a bad id). */
export class ConnectorError extends Error implements KindedError {
  override name = "ConnectorError";
  readonly kind: FailureKind;
  readonly rateLimit?: RateLimitInfo | undefined;
  constructor(kind: FailureKind, message: string, options?: { cause?: unknown; rateLimit?: RateLimitInfo }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.rateLimit = options?.rateLimit;
  }
}

const CODE_OF_KIND: Readonly<Record<FailureKind, Code>> = {
  invalid: Code.InvalidArgument,
  "not-found": Code.NotFound,
  forbidden: Code.PermissionDenied,
  // Okta refused our own credential: the engine's call was fine, but nothing will work until the
  // operator fixes the token, which is what FAILED_PRECONDITION says to a baton engine.
  unauthenticated: Code.FailedPrecondition,
  "rate-limited": Code.Unavailable,
  unavailable: Code.Unavailable,
  conflict: Code.AlreadyExists,
  "failed-precondition": Code.FailedPrecondition,
  precondition: Code.FailedPrecondition,
  "group-derived-assignment": Code.FailedPrecondition,
  cancelled: Code.Canceled,
  // Okta answered in a way no rule covers; the message (already free of secrets) says how.
  unknown: Code.Unknown,
};

const KINDS = new Set(Object.keys(CODE_OF_KIND));

/** Recognises kinded errors by shape, not class, so errors from any layer qualify (style §8). */
export function isKindedError(value: unknown): value is KindedError {
  return value instanceof Error && typeof (value as KindedError).kind === "string" && KINDS.has((value as KindedError).kind);
}

/**
 * Turns any failure into the ConnectError the client sees. Unavailable errors carry a
 * c1.connector.v2.RateLimitDescription detail, which baton-sdk's retryer reads to size its wait.
 * Unknown failures become INTERNAL with a generic message; the original stays in `cause` for the log,
 * never on the wire.
 */
export function connectErrorFrom(error: unknown, options: { unavailableHint?: string } = {}): ConnectError {
  if (error instanceof ConnectError) return error;
  if (isKindedError(error)) {
    const code = CODE_OF_KIND[error.kind];
    const details = code === Code.Unavailable ? [rateLimitDetail(error)] : [];
    const message = code === Code.Unavailable && options.unavailableHint ? `${error.message}; ${options.unavailableHint}` : error.message;
    return new ConnectError(message, code, undefined, details, error);
  }
  if (error instanceof Error && error.name === "AbortError") {
    return new ConnectError("operation cancelled", Code.Canceled, undefined, undefined, error);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}

function rateLimitDetail(error: KindedError) {
  const info = error.rateLimit;
  return {
    desc: RateLimitDescriptionSchema,
    value: create(RateLimitDescriptionSchema, {
      status: error.kind === "rate-limited" ? RateLimitDescription_Status.OVERLIMIT : RateLimitDescription_Status.ERROR,
      limit: BigInt(info?.limit ?? 0),
      remaining: BigInt(info?.remaining ?? 0),
      ...(info?.resetAt ? { resetAt: timestampFromDate(info.resetAt) } : {}),
    }),
  };
}

/**
 * Runs a read of one resource the request named (its grants, or the resource itself). A not-found
 * failure there means Okta does not have that resource, so it becomes NOT_FOUND naming `field`, the
 * request field that carried the id, unless the message already starts with a field of that request.
 */
export async function notFoundNaming<T>(field: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isKindedError(error) || error.kind !== "not-found" || error.message.startsWith(field.split(".")[0]!)) throw error;
    throw new ConnectorError("not-found", `${field}: ${error.message}`, { cause: error });
  }
}

/** Rethrows `signal.reason` when the call was cancelled, so a cancelled RPC is not reported as a failure of Okta. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new ConnectError("operation cancelled", Code.Canceled);
}
