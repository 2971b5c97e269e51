import { EventEmitter, on } from "node:events";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import {
  Health as HealthService,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../gen/grpc/health/v1/health_pb.js";

export { ServingStatus };

/** The serving status of each service, and the `grpc.health.v1.Health` service that reports it. */
export interface Health {
  /** Sets the status of one service ("" is the server as a whole) and tells its watchers. */
  setStatus(service: string, status: ServingStatus): void;
  /**
   * Sets every known service, and "", to `status`: on shutdown everything goes NOT_SERVING at once.
   * Services in `except` keep their status (the liveness name must stay SERVING while draining).
   */
  setAll(status: ServingStatus, options?: { readonly except?: readonly string[] }): void;
  /** The status of a service, or undefined if it was never set. */
  getStatus(service: string): ServingStatus | undefined;
  /** The number of Watch streams open right now. */
  watcherCount(): number;
  /** Serves `grpc.health.v1.Health` (Check, List, Watch) on the router. */
  register(router: ConnectRouter): void;
}

const CHANGE = "change";

export interface HealthOptions {
  /** The status of the server as a whole ("") at creation; SERVING, as grpc-go's health server starts, by default. */
  readonly initialStatus?: ServingStatus;
}

/**
 * Creates a health registry. Kubernetes' native grpc probe and grpc_health_probe call Check; Watch
 * streams the current status and then each change until the client goes away. `serve` starts ""
 * NOT_SERVING and turns it SERVING once the Okta credential has been validated (readiness.ts).
 */
export function createHealth(options: HealthOptions = {}): Health {
  const statuses = new Map<string, ServingStatus>([["", options.initialStatus ?? ServingStatus.SERVING]]);
  // One event name for all services: a service literally named "error" must not become
  // EventEmitter's special 'error' event and fail every other watcher.
  const changes = new EventEmitter();
  changes.setMaxListeners(0);

  const setStatus = (service: string, status: ServingStatus): void => {
    if (statuses.get(service) === status) return;
    statuses.set(service, status);
    changes.emit(CHANGE, service, status);
  };

  const impl: ServiceImpl<typeof HealthService> = {
    check(request) {
      const status = statuses.get(request.service);
      if (status === undefined) {
        throw new ConnectError(`service: unknown service ${JSON.stringify(shortened(request.service))}`, Code.NotFound);
      }
      return { status };
    },
    list() {
      return {
        statuses: Object.fromEntries([...statuses].map(([service, status]) => [service, { status }])),
      };
    },
    async *watch(request, context) {
      if (context.signal.aborted) return;
      // Subscribe before reading the current status so that no change slips in between.
      const updates = on(changes, CHANGE, { signal: context.signal });
      try {
        // The gRPC health spec answers Watch for an unknown name with SERVICE_UNKNOWN and keeps the
        // stream open, so a service registered later is reported when it appears.
        let last = statuses.get(request.service) ?? ServingStatus.SERVICE_UNKNOWN;
        yield { status: last };
        for await (const [service, status] of updates as AsyncIterable<[string, ServingStatus]>) {
          if (service !== request.service || status === last) continue;
          last = status;
          yield { status };
        }
      } catch (error) {
        // events.on rejects with a generic AbortError; the signal's reason carries the real code, e.g.
        // UNAVAILABLE on shutdown, so a watching probe retries instead of taking the end as final.
        throw context.signal.aborted ? context.signal.reason : error;
      } finally {
        await updates.return?.();
      }
    },
  };

  return {
    setStatus,
    setAll(status, setAllOptions) {
      const except = new Set(setAllOptions?.except ?? []);
      for (const service of statuses.keys()) if (!except.has(service)) setStatus(service, status);
    },
    getStatus: (service) => statuses.get(service),
    watcherCount: () => changes.listenerCount(CHANGE),
    register(router) {
      router.service(HealthService, impl);
    },
  };
}

/**
 * A service name cut to 200 code points for an error message: echoing a 100 kB name whole would make
 * the trailers larger than HTTP/2's header list limit, and Node would reset the whole connection.
 */
function shortened(service: string): string {
  const points = Array.from(service);
  return points.length <= 200 ? service : `${points.slice(0, 200).join("")}… (${points.length} code points)`;
}
