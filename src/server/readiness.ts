import { setTimeout as sleep } from "node:timers/promises";
import { ConnectError } from "@connectrpc/connect";
import type { Logger } from "pino";
import { type Health, ServingStatus } from "./health.js";

/**
 * The health service name the liveness probe asks for. It is SERVING from start to exit, even while
 * the credential is being validated or the server drains: a process that answers is alive, and
 * restarting it would not make Okta accept a bad token. Readiness is the server as a whole ("").
 */
export const LIVENESS_SERVICE = "liveness";

export interface ReadinessOptions {
  readonly health: Health;
  /** Resolves once the Okta credential works; throws saying why it does not. */
  readonly check: (signal: AbortSignal) => Promise<void>;
  readonly logger: Logger;
  /** The wait after the first failure, doubling up to `maxDelayMs`. Defaults 1 s and 60 s. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface Readiness {
  /** True once "" turned SERVING; false if stopped first. */
  readonly ready: Promise<boolean>;
  /** Settles when the first check has succeeded or failed (never rejects). */
  readonly firstAttempt: Promise<void>;
  /** Stops retrying (on shutdown); the check in flight is cancelled. */
  stop(): void;
}

/**
 * Turns the server ("") SERVING once the credential has been validated, and not before: the kubelet
 * then sends no traffic to a connector whose token Okta refuses. The check runs in the background and
 * is retried with exponential backoff until it succeeds; each failure is logged as one line with the
 * reason (the check's errors name an E-code or a missing role, never the credential).
 */
export function startReadiness(options: ReadinessOptions): Readiness {
  const controller = new AbortController();
  const signal = controller.signal;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;

  let firstSettled: () => void = () => undefined;
  const firstAttempt = new Promise<void>((resolve) => (firstSettled = resolve));

  const ready = (async (): Promise<boolean> => {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await options.check(signal);
        if (signal.aborted) return false;
        options.health.setStatus("", ServingStatus.SERVING);
        options.logger.info({ attempts: attempt }, "okta-connector ready: the Okta credential is valid");
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        const retryInMs = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
        options.logger.warn({ attempt, retryInMs, reason: reasonOf(error) }, "not ready: validating the Okta credential failed");
        firstSettled();
        try {
          await sleep(retryInMs, undefined, { signal });
        } catch {
          return false;
        }
      }
    }
    return false;
  })();
  // Also settles the first attempt when it succeeded or was stopped; after setStatus, so a reader sees the result.
  void ready.finally(firstSettled);

  return { ready, firstAttempt, stop: () => controller.abort() };
}

function reasonOf(error: unknown): string {
  if (error instanceof ConnectError) return error.rawMessage;
  return error instanceof Error ? error.message : "unknown failure";
}
