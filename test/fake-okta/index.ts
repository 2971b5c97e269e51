/**
 * The simulated Okta org: `startFakeOkta({ seed, users })` generates an org, serves Okta's management API
 * over it on 127.0.0.1 (HTTP, or HTTPS with a given cert and key), and returns the url, one API token and
 * one OAuth service app per admin level, the ground truth, request accounting, fault controls and close().
 * Nothing here imports from src/: the simulator knows nothing of the connector.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generateOrg, resolveOrgSizes } from "./generate/org.js";
import { buildGroundTruth, type GroundTruth } from "./ground-truth.js";
import { createAuthenticator, createOAuthClients, mintApiTokens, oauthClientSpecs } from "./http/credentials.js";
import { createFaultInjector, validateFaults, type FaultSettings } from "./http/faults.js";
import { createPipeline } from "./http/pipeline.js";
import { createRateLimiter, type BucketName, type RateLimiterOptions } from "./http/rate-limits.js";
import { createRequestLog, type RequestLogEntry } from "./http/request-log.js";
import { createRouter } from "./http/router.js";
import { createStats, type Stats } from "./http/stats.js";
import { createOAuthAuthority } from "./oauth.js";
import { createOrg, type Org } from "./org/org.js";
import type { AdminLevel } from "./permissions.js";
import { apiTokenRoutes } from "./routes/api-tokens.js";
import { appRoutes } from "./routes/apps.js";
import { clientRoleRoutes } from "./routes/clients.js";
import { deviceRoutes } from "./routes/devices.js";
import { factorRoutes } from "./routes/factors.js";
import { groupRuleRoutes } from "./routes/group-rules.js";
import { groupRoutes } from "./routes/groups.js";
import { iamRoutes } from "./routes/iam.js";
import { logRoutes } from "./routes/logs.js";
import { roleRoutes } from "./routes/roles.js";
import { createSimHandler } from "./routes/sim.js";
import { userRoutes } from "./routes/users.js";
import { passwordMatches } from "./org/passwords.js";

export type { AdminLevel } from "./permissions.js";
export type { FaultSettings } from "./http/faults.js";
export type { Stats, CallCounters } from "./http/stats.js";
export type { RequestLogEntry } from "./http/request-log.js";
export type { BucketName, RateLimiterOptions } from "./http/rate-limits.js";
export { RATE_LIMIT_BUCKETS } from "./http/rate-limits.js";
export type {
  GroundTruth, GroundTruthApiToken, GroundTruthApp, GroundTruthBinding, GroundTruthCustomRole, GroundTruthDevice, GroundTruthFactor, GroundTruthGroup, GroundTruthGroupRule, GroundTruthResourceSet,
  GroundTruthRoleAssignment, GroundTruthUser,
} from "./ground-truth.js";
export type { Org } from "./org/org.js";
export { SYSTEM_ACTOR } from "./org/system-log.js";

/** Options of {@link startFakeOkta}; every one has a default. */
export interface FakeOktaOptions {
  /** PRNG seed (default 1): the same seed and sizes give the same org, byte for byte. */
  seed?: number;
  /** Users (default 200). */
  users?: number;
  /** Groups besides Everyone (default 30; above 3,000 users, one per 100 users). */
  groups?: number;
  /** Apps (default 15; above 1,000 users, 15 + users/2,000). */
  apps?: number;
  /** Target group memberships, Everyone not counted (default ten per user). */
  memberships?: number;
  /** Custom admin roles (default 3). */
  customRoles?: number;
  /** Resource sets (default 3). */
  resourceSets?: number;
  /** Devices (default one per four users). */
  devices?: number;
  /** API tokens, owned by admins (default 6). */
  apiTokens?: number;
  /** OAuth API Services apps, some holding admin roles (default 4). */
  serviceApps?: number;
  /** An org with only the Everyone group: no users, apps or roles. */
  empty?: boolean;
  /** Port (default 0: an ephemeral one). */
  port?: number;
  /** Interface (default 127.0.0.1). */
  host?: string;
  /** Compresses a rate-limit minute: windows last 60 s / rateScale (default 1). */
  rateScale?: number;
  /** False counts and reports rate limits but never answers 429 for them (default true). */
  rateLimits?: boolean;
  /** Per-bucket limits replacing Okta's defaults. */
  rateLimitOverrides?: Partial<Record<BucketName, number>>;
  /** Simultaneous API requests before a concurrency 429 (default 75, Okta's Workforce limit). */
  concurrencyLimit?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Faults from the start. */
  faults?: Partial<FaultSettings>;
  /** OAuth tokens are DPoP-bound, as for new Okta service apps (default true). */
  requireDpop?: boolean;
  /** Requests kept by requestLog() (default 100,000). */
  requestLogSize?: number;
  /** Where unexpected handler errors are reported (default: one line on stderr). */
  onInternalError?: (error: unknown) => void;
}

/** A running simulated org. */
export interface FakeOkta {
  /** `http://127.0.0.1:PORT` (or https), no trailing slash. */
  url: string;
  /** One SSWS API token per admin level. */
  tokens: Record<AdminLevel, string>;
  /** One OAuth service app per admin level: client id, RSA private key (PKCS#8 PEM), granted scopes. */
  oauthClients: Record<AdminLevel, { clientId: string; privateKeyPem: string; scopes: string[] }>;
  /** The whole org as a connector should see it (same content as GET /__sim/ground-truth). */
  groundTruth(): Promise<GroundTruth>;
  /** Request accounting (GET /__sim/stats). */
  stats(): Stats;
  /** POST /__sim/stats/reset. */
  resetStats(): void;
  /** Changes some faults (validated; throws on a bad value). */
  setFaults(faults: Partial<FaultSettings>): void;
  faults(): FaultSettings;
  /** Changes rate limiting at run time (clears the current windows). */
  setRateLimits(options: Partial<RateLimiterOptions>): void;
  /** Changes how many simultaneous API requests are allowed before a concurrency 429. */
  setConcurrencyLimit(limit: number): void;
  /** The latest requests, oldest first (logged when answered). */
  requestLog(): RequestLogEntry[];
  /**
   * API requests received so far and when the last one came in (epoch ms). The log is written when a
   * request is answered, which a fault's delay or a pause postpones; this says when work was asked for.
   */
  arrivals(): { count: number; lastAtMs: number };
  /** The org in memory, for tests that change it out of band. */
  org: Org;
  /** True when `password` is the user's current password, as set by `POST /api/v1/users` or an admin update. */
  passwordMatches(userId: string, password: string): boolean;
  close(): Promise<void>;
}

/** Generates the org and starts serving it. */
export async function startFakeOkta(options: FakeOktaOptions = {}): Promise<FakeOkta> {
  validateOptions(options);
  const seed = options.seed ?? 1;
  const sizes = resolveOrgSizes({
    ...pick(options, ["users", "groups", "apps", "memberships", "customRoles", "resourceSets", "devices", "apiTokens", "serviceApps"]),
    ...(options.empty === undefined ? {} : { empty: options.empty }),
  });
  const org = createOrg(generateOrg(seed, sizes));
  const tokens = mintApiTokens(seed);
  const clients = await createOAuthClients(seed);
  let url = "";
  const oauth = createOAuthAuthority({ orgUrl: () => url, clients: oauthClientSpecs(clients), requireDpop: options.requireDpop ?? true });
  const inFlight = { value: 0, arrivals: 0, lastArrivalMs: 0 };
  const stats = createStats(() => inFlight.value);
  const requestLog = createRequestLog(options.requestLogSize);
  const limiter = createRateLimiter({ enabled: options.rateLimits ?? true, scale: options.rateScale ?? 1, overrides: options.rateLimitOverrides ?? {} });
  const faults = createFaultInjector(validateFaults(options.faults ?? {}), seed, (s) => org.setSearchLag(s.searchLagMs));
  let concurrencyLimit = options.concurrencyLimit ?? 75;
  const listener = createPipeline({
    org,
    route: createRouter([...userRoutes, ...factorRoutes, ...groupRoutes, ...groupRuleRoutes, ...appRoutes, ...roleRoutes, ...iamRoutes, ...clientRoleRoutes, ...deviceRoutes, ...apiTokenRoutes, ...logRoutes]),
    authenticate: createAuthenticator(tokens, oauth, org.info),
    oauth,
    limiter,
    faults,
    stats,
    requestLog,
    concurrencyLimit: () => concurrencyLimit,
    inFlight,
    sim: createSimHandler({ org, stats, faults, requestLog }),
    scheme: options.tls ? "https" : "http",
    fallbackBase: () => url,
    onInternalError: options.onInternalError ?? ((error) => process.stderr.write(`fake-okta: internal error: ${(error as Error)?.message ?? String(error)}\n`)),
  });
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener as (req: IncomingMessage, res: ServerResponse) => void)
    : createHttpServer(listener);
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `${options.tls ? "https" : "http"}://${urlHost(host)}:${port}`;

  return {
    url,
    tokens,
    oauthClients: Object.fromEntries(Object.entries(clients).map(([level, c]) => [level, { clientId: c.clientId, privateKeyPem: c.privateKeyPem, scopes: [...c.scopes] }])) as FakeOkta["oauthClients"],
    groundTruth: async () => buildGroundTruth(org),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (change) => void faults.update(validateFaults(change)),
    faults: () => faults.settings(),
    setRateLimits: (change) => limiter.configure(change),
    setConcurrencyLimit(limit) {
      if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`setConcurrencyLimit: limit must be a positive integer (got ${limit})`);
      concurrencyLimit = limit;
    },
    requestLog: () => requestLog.entries(),
    arrivals: () => ({ count: inFlight.arrivals, lastAtMs: inFlight.lastArrivalMs }),
    org,
    passwordMatches(userId, password) {
      const user = org.users.get(userId);
      return user !== undefined && passwordMatches(user, password);
    },
    close: () =>
      new Promise<void>((resolve) => {
        faults.update({ paused: false });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function validateOptions(options: FakeOktaOptions): void {
  const counts = ["users", "groups", "apps", "memberships", "customRoles", "resourceSets", "devices", "apiTokens", "serviceApps"] as const;
  for (const name of counts) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 10_000_000)) throw new Error(`startFakeOkta: ${name} must be a whole number between 0 and 10000000 (got ${value})`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new Error(`startFakeOkta: seed must be an integer (got ${options.seed})`);
  if (options.rateScale !== undefined && !(options.rateScale > 0 && options.rateScale <= 60_000)) throw new Error(`startFakeOkta: rateScale must be above 0 and at most 60000 (got ${options.rateScale})`);
  if (options.concurrencyLimit !== undefined && !(Number.isInteger(options.concurrencyLimit) && options.concurrencyLimit >= 1)) throw new Error(`startFakeOkta: concurrencyLimit must be a positive integer (got ${options.concurrencyLimit})`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65_535)) throw new Error(`startFakeOkta: port must be between 0 and 65535 (got ${options.port})`);
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
