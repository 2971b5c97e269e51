import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { FaultSettings } from "./http/faults.js";
import type { FakeOktaOptions } from "./index.js";

/** `--help` text of `npm run fake-okta`. */
export const USAGE = `Usage: npm run fake-okta -- [flags]

Starts a simulated Okta org. The first stdout line is one JSON object:
  {"url", "tokens": {read_only, app_group_admin, super_admin, no_role},
   "oauth": {<level>: {clientId, privateKeyPath, scopes}}}

Org:
  --seed N               PRNG seed (default 1); same seed and sizes, same org
  --users N              users (default 200)
  --groups N             groups besides Everyone (default 30, or users/100 above 3,000 users)
  --apps N               apps (default 15, or 15 + users/2,000 above 1,000 users)
  --memberships N        target group memberships (default 10 per user)
  --custom-roles N       custom admin roles (default 3)
  --resource-sets N      resource sets (default 3)
  --devices N            devices (default one per four users)
  --api-tokens N         API tokens, owned by admins (default 6)
  --service-apps N       OAuth API Services apps, some holding admin roles (default 4)
  --empty                only the Everyone group
Server:
  --port N               port (default 0: ephemeral)
  --host ADDR            interface (default 127.0.0.1)
  --tls-cert FILE        serve HTTPS with this PEM certificate (needs --tls-key)
  --tls-key FILE         the certificate's PEM private key
  --no-dpop              issue plain Bearer OAuth tokens instead of DPoP-bound ones
Rate limits:
  --rate-scale X         compress a rate-limit minute to 60/X seconds (default 1)
  --no-rate-limits       count and report limits, never answer 429 for them
  --concurrency-limit N  simultaneous API requests before a 429 with Limit 0 (default 75)
Faults (also POST /__sim/faults):
  --latency-ms N         fixed latency per API request
  --jitter-ms N          plus up to N ms of random latency
  --error-rate X         share of 500/502/503 answers (0..1)
  --reset-rate X         share of connection resets (0..1)
  --malformed-rate X     share of truncated JSON bodies (0..1)
  --storm X              share of 429 E0000047 answers (0..1)
  --lost-reply-rate X    share of applied writes whose reply is lost: 502 or reset (0..1)
  --search-lag-ms N      users search lags behind writes by N ms
  --fault-buckets LIST   comma-separated rate-limit buckets the faults apply to (default all)
  --paused               start paused (requests wait until POST /__sim/faults {"paused": false})
System Log and churn (also POST /__sim/log, POST /__sim/churn?count=N):
  --log-lag-ms N         events become visible N ms after they are published (default 0)
  --log-reorder-rate X   share of events that become visible late, after later ones (0..1, default 0)
  --log-retention-ms N   drop events older than N ms (default 90 days)
  --churn N              N random, realistic changes a minute through the API's write paths
  --help                 this text`;

/** A flag error: the message names the flag; the CLI prints it and exits 2. */
export interface CliArgsError extends Error { readonly cliArgs: true }

/** What the CLI should do. */
export type CliArgs = { kind: "help" } | { kind: "run"; options: FakeOktaOptions };

const INTEGER_FLAGS = {
  seed: { key: "seed", min: -(2 ** 31), max: 2 ** 31 - 1 },
  users: { key: "users", min: 0, max: 1_000_000 },
  groups: { key: "groups", min: 0, max: 100_000 },
  apps: { key: "apps", min: 0, max: 10_000 },
  memberships: { key: "memberships", min: 0, max: 20_000_000 },
  "custom-roles": { key: "customRoles", min: 0, max: 1000 },
  "resource-sets": { key: "resourceSets", min: 0, max: 1000 },
  devices: { key: "devices", min: 0, max: 1_000_000 },
  "api-tokens": { key: "apiTokens", min: 0, max: 100_000 },
  "service-apps": { key: "serviceApps", min: 0, max: 10_000 },
  port: { key: "port", min: 0, max: 65_535 },
  "concurrency-limit": { key: "concurrencyLimit", min: 1, max: 100_000 },
} as const;
const FAULT_MS_FLAGS = { "latency-ms": "latencyMs", "jitter-ms": "jitterMs", "search-lag-ms": "searchLagMs" } as const;
const FAULT_RATE_FLAGS = { "error-rate": "errorRate", "reset-rate": "resetRate", "malformed-rate": "malformedRate", storm: "stormRate", "lost-reply-rate": "lostReplyRate" } as const;

/** Parses and validates the CLI's flags (without the leading `node script`). Throws CliArgsError. */
export function parseFakeOktaArgs(argv: string[]): CliArgs {
  const strings = [
    ...Object.keys(INTEGER_FLAGS), ...Object.keys(FAULT_MS_FLAGS), ...Object.keys(FAULT_RATE_FLAGS), "host", "rate-scale", "tls-cert", "tls-key", "fault-buckets",
    "log-lag-ms", "log-reorder-rate", "log-retention-ms", "churn",
  ];
  const booleans = ["empty", "no-rate-limits", "no-dpop", "paused", "help"];
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries([...strings.map((s) => [s, { type: "string" as const }]), ...booleans.map((b) => [b, { type: "boolean" as const }])]),
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw cliError((error as Error).message.split("\n")[0] ?? "invalid arguments");
  }
  if (values["help"]) return { kind: "help" };

  const options: FakeOktaOptions = {};
  for (const [flag, spec] of Object.entries(INTEGER_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === "string") (options as Record<string, unknown>)[spec.key] = integer(flag, raw, spec.min, spec.max);
  }
  if (typeof values["host"] === "string") {
    if (!/^[A-Za-z0-9.:\-[\]]+$/.test(values["host"])) throw cliError(`--host must be an interface address or name (got "${values["host"]}")`);
    options.host = values["host"];
  }
  if (typeof values["rate-scale"] === "string") {
    const scale = Number(values["rate-scale"]);
    if (!(scale > 0 && scale <= 60_000) || values["rate-scale"].trim() === "") throw cliError(`--rate-scale must be a number above 0 and at most 60000 (got "${values["rate-scale"]}")`);
    options.rateScale = scale;
  }
  if (typeof values["log-lag-ms"] === "string") options.logLagMs = integer("log-lag-ms", values["log-lag-ms"], 0, 3_600_000);
  if (typeof values["log-retention-ms"] === "string") options.logRetentionMs = integer("log-retention-ms", values["log-retention-ms"], 1, 10 * 365 * 86_400_000);
  if (typeof values["churn"] === "string") options.churnPerMinute = integer("churn", values["churn"], 0, 600_000);
  if (typeof values["log-reorder-rate"] === "string") {
    const raw = values["log-reorder-rate"];
    const rate = Number(raw);
    if (raw.trim() === "" || !(rate >= 0 && rate <= 1)) throw cliError(`--log-reorder-rate must be a number between 0 and 1 (got "${raw}")`);
    options.logReorderRate = rate;
  }
  if (values["empty"]) options.empty = true;
  if (values["no-rate-limits"]) options.rateLimits = false;
  if (values["no-dpop"]) options.requireDpop = false;

  const cert = values["tls-cert"];
  const key = values["tls-key"];
  if ((typeof cert === "string") !== (typeof key === "string")) throw cliError(`--tls-cert and --tls-key must be given together`);
  if (typeof cert === "string" && typeof key === "string") options.tls = { cert: readPem("--tls-cert", cert), key: readPem("--tls-key", key) };

  const faults: Partial<FaultSettings> = {};
  for (const [flag, field] of Object.entries(FAULT_MS_FLAGS)) {
    const raw = values[flag];
    if (typeof raw === "string") faults[field] = integer(flag, raw, 0, 600_000);
  }
  for (const [flag, field] of Object.entries(FAULT_RATE_FLAGS)) {
    const raw = values[flag];
    if (typeof raw !== "string") continue;
    const rate = Number(raw);
    if (raw.trim() === "" || !(rate >= 0 && rate <= 1)) throw cliError(`--${flag} must be a number between 0 and 1 (got "${raw}")`);
    faults[field] = rate;
  }
  if (typeof values["fault-buckets"] === "string") faults.buckets = values["fault-buckets"].split(",").map((b) => b.trim()).filter((b) => b !== "");
  if (values["paused"]) faults.paused = true;
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { kind: "run", options };
}

/** True for errors thrown by {@link parseFakeOktaArgs}. */
export function isCliArgsError(value: unknown): value is CliArgsError {
  return typeof value === "object" && value !== null && (value as { cliArgs?: unknown }).cliArgs === true;
}

function integer(flag: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw cliError(`--${flag} must be a whole number (got "${raw}")`);
  const value = Number(raw);
  if (value < min || value > max) throw cliError(`--${flag} must be between ${min} and ${max} (got ${value})`);
  return value;
}

function readPem(flag: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw cliError(`${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!text.includes("-----BEGIN ")) throw cliError(`${flag} ${path} is not a PEM file`);
  return text;
}

function cliError(message: string): CliArgsError {
  const error = new Error(message) as Error & { cliArgs: true };
  error.cliArgs = true;
  return error;
}
