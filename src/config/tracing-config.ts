import type { TraceSampler, TracingConfig } from "./config.js";
import { ConfigError } from "./config-error.js";

type Env = Readonly<Record<string, string | undefined>>;

const SAMPLERS = ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"] as const;
/** The OTLP/HTTP default of the OpenTelemetry specification, used when only OTEL_TRACES_EXPORTER=otlp is set. */
const DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

/**
 * Reads the standard OpenTelemetry variables (the names and defaults of the OpenTelemetry "SDK
 * environment variables" specification) into a TracingConfig, or undefined when tracing is off.
 *
 * Tracing is off by default, unlike the specification's `otlp` default: a connector that nobody
 * configured must not try to reach localhost:4318. It turns on with `OTEL_TRACES_EXPORTER=otlp`, or
 * with an OTLP endpoint variable and no exporter variable. `OTEL_SDK_DISABLED=true` always wins.
 * Only OTLP over HTTP is offered (the installed exporter sends JSON, which OTLP/HTTP receivers accept
 * whatever `…_PROTOCOL` says); `grpc` is refused rather than silently sent to the wrong port.
 */
export function loadTracingConfig(env: Env): TracingConfig | undefined {
  if (read(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true") return undefined;
  const tracesEndpoint = read(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const baseEndpoint = read(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  const exporters = (read(env, "OTEL_TRACES_EXPORTER") ?? "").split(",").map((e) => e.trim().toLowerCase()).filter((e) => e !== "");
  for (const exporter of exporters) {
    if (exporter !== "otlp" && exporter !== "none") {
      throw envError("OTEL_TRACES_EXPORTER", `"${exporter}" is not supported`, "use otlp (OTLP over HTTP) or none");
    }
  }
  const enabled = exporters.length === 0 ? tracesEndpoint !== undefined || baseEndpoint !== undefined : exporters.includes("otlp");
  if (!enabled) return undefined;

  const protocolVar = read(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") === undefined ? "OTEL_EXPORTER_OTLP_PROTOCOL" : "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
  const protocol = read(env, protocolVar);
  if (protocol !== undefined && protocol !== "http/json" && protocol !== "http/protobuf") {
    throw envError(protocolVar, `"${protocol}" is not supported`, "use http/json and an OTLP/HTTP endpoint (the collector's port 4318)");
  }

  const endpoint = tracesEndpoint !== undefined
    ? checkUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tracesEndpoint)
    : baseEndpoint !== undefined
      // The specification appends the signal path to the base endpoint, and only to it.
      ? `${checkUrl("OTEL_EXPORTER_OTLP_ENDPOINT", baseEndpoint).replace(/\/+$/, "")}/v1/traces`
      : DEFAULT_ENDPOINT;

  const resourceAttributes = parsePairs(env, "OTEL_RESOURCE_ATTRIBUTES", false);
  return {
    endpoint,
    headers: { ...parsePairs(env, "OTEL_EXPORTER_OTLP_HEADERS", true), ...parsePairs(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", true) },
    serviceName: read(env, "OTEL_SERVICE_NAME") ?? resourceAttributes["service.name"] ?? "okta-connector",
    resourceAttributes,
    sampler: loadSampler(env),
  };
}

function loadSampler(env: Env): TraceSampler {
  const name = (read(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase();
  if (!(SAMPLERS as readonly string[]).includes(name)) {
    throw envError("OTEL_TRACES_SAMPLER", `"${name}" is not supported`, `use one of ${SAMPLERS.join(", ")}`);
  }
  const kind = name as (typeof SAMPLERS)[number];
  if (kind !== "traceidratio" && kind !== "parentbased_traceidratio") return { kind };
  const arg = read(env, "OTEL_TRACES_SAMPLER_ARG");
  const ratio = arg === undefined ? 1 : Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw envError("OTEL_TRACES_SAMPLER_ARG", `"${arg}" is not a ratio`, "use a number from 0 to 1, e.g. 0.1");
  }
  return { kind, ratio };
}

/** `key1=value1,key2=value2` with percent-encoded values (W3C Baggage style, as the specification says). */
function parsePairs(env: Env, name: string, secret: boolean): Record<string, string> {
  const raw = read(env, name);
  const pairs: Record<string, string> = {};
  if (raw === undefined) return pairs;
  for (const [i, entry] of raw.split(",").entries()) {
    if (entry.trim() === "") continue;
    const eq = entry.indexOf("=");
    const key = eq < 0 ? "" : entry.slice(0, eq).trim();
    let value: string | undefined;
    try {
      value = eq < 0 ? undefined : decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      value = undefined;
    }
    // Header values are usually API keys: name the entry by position, never echo it.
    const shown = secret ? `entry ${i + 1}` : `"${entry.trim()}"`;
    if (key === "" || value === undefined) throw envError(name, `${shown} is not key=value`, "write key1=value1,key2=value2 with percent-encoded values");
    pairs[key] = value;
  }
  return pairs;
}

function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw envError(name, `"${value}" is not a URL`, "use e.g. http://otel-collector:4318");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw envError(name, `scheme ${url.protocol} is not http(s)`, "use an OTLP/HTTP URL such as http://otel-collector:4318");
  if (url.username !== "" || url.password !== "") throw envError(name, "carries credentials", "send them with OTEL_EXPORTER_OTLP_HEADERS instead");
  return value;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** A ConfigError for a variable that is not a flag: the line names the variable itself, not `--…`. */
function envError(variable: string, problem: string, fix: string): ConfigError {
  const error = new ConfigError(variable, problem, fix);
  error.message = `${variable}: ${problem}; ${fix}`;
  return error;
}
