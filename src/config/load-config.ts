import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { type Config, type LogLevel, type OktaAuth, REDACTED, type TlsFiles } from "./config.js";
import { ConfigError } from "./config-error.js";
import { type FlagSpec, type TypeFlag, allServeFlags, envNameOf } from "./flags.js";
import { formatListenAddress, type ListenAddress, parseListenAddress, type TcpListenAddress } from "./listen-address.js";
import { parseOktaOrgUrl } from "./org-url.js";
import { loadTracingConfig } from "./tracing-config.js";

/** Flag values as given on the command line, keyed by flag name ("api-token"); absent flags are undefined. */
export type RawFlags = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

export interface LoadConfigInput {
  readonly flags: RawFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => Buffer;
  /** The resource types' own flags (their descriptors'); none when absent. */
  readonly typeFlags?: readonly TypeFlag[];
}

const READ_SCOPES = ["okta.users.read", "okta.groups.read", "okta.apps.read", "okta.roles.read"] as const;
const MANAGE_SCOPES = ["okta.users.manage", "okta.groups.manage", "okta.apps.manage", "okta.roles.manage"] as const;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

/**
 * Turns flags, `BATON_*` environment variables and secret files into one validated Config.
 * The command line wins over the environment, which wins over defaults. Every problem is a
 * ConfigError naming the flag; nothing below this reads process.env.
 */
export function loadConfig(input: LoadConfigInput): Config {
  const readFile = input.readFile ?? ((path: string) => readFileSync(path));
  const typeFlagSpecs = (input.typeFlags ?? []).map((f) => f.spec);
  const values = resolveValues([...allServeFlags, ...typeFlagSpecs], input.flags, input.env);
  const str = (name: string) => values.get(name) as string | undefined;
  const bool = (name: string) => values.get(name) as boolean;
  const list = (name: string) => (values.get(name) as readonly string[] | undefined) ?? [];

  const domain = str("domain");
  if (domain === undefined) {
    throw new ConfigError("domain", "is required", `set --domain or ${envNameOf("domain")} to your Okta org, e.g. acme.okta.com`);
  }
  const orgUrl = parseOktaOrgUrl(domain);
  const provisioning = bool("provisioning");
  const typeFlagsOn = (input.typeFlags ?? []).filter((f) => bool(f.spec.name));
  const auth = loadOktaAuth(str, list, provisioning, typeFlagsOn.flatMap((f) => f.oauthScopes ?? []), readFile);

  if (input.flags["skip-inactive-apps"] === true && input.flags["sync-inactive-apps"] === true) {
    throw new ConfigError("skip-inactive-apps", "contradicts --sync-inactive-apps", "give only one of them");
  }
  const filterEmailDomains = list("filter-email-domains").map((d) => d.trim().toLowerCase().replace(/^@/, ""));
  for (const d of filterEmailDomains) {
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(d)) {
      throw new ConfigError("filter-email-domains", `"${d}" is not a domain`, "list domains such as example.com,example.org");
    }
  }

  const tls = loadTls(str, list("client-cert-subject"), readFile);
  const authTokenFile = str("auth-token-file");
  const authToken = authTokenFile === undefined ? undefined : readSecretFile("auth-token-file", authTokenFile, readFile);
  if (authToken !== undefined && authToken.length < 16) {
    throw new ConfigError("auth-token-file", "holds a token shorter than 16 characters", "use a long random token, e.g. `openssl rand -hex 32`");
  }

  const logLevel = parseWith("log-level", str("log-level"), z.enum(LOG_LEVELS), `use one of ${LOG_LEVELS.join(", ")}`) as LogLevel;
  const readMaxBytes = parseWith("read-max-bytes", str("read-max-bytes"), z.coerce.number().int().min(1024).max(64 * 1024 * 1024), "use a byte count from 1024 to 67108864");
  const graceSeconds = parseWith("shutdown-grace-seconds", str("shutdown-grace-seconds"), z.coerce.number().min(0).max(3600), "use seconds from 0 to 3600");
  const listen = parseListenAddress(str("listen") ?? "127.0.0.1:50051");
  const healthListen = loadSideListen("health-listen", str("health-listen"), [["listen", listen]]);
  const metricsListen = loadSideListen("metrics-listen", str("metrics-listen"), [["listen", listen], ["health-listen", healthListen]]);

  const config: Omit<Config, "toJSON"> = {
    okta: { orgUrl, auth },
    sync: {
      syncInactiveApps: bool("sync-inactive-apps") && !bool("skip-inactive-apps"),
      syncCustomRoles: bool("sync-custom-roles"),
      typeFlags: new Set(typeFlagsOn.map((f) => f.spec.name)),
      syncDeprovisionedUsers: bool("sync-deprovisioned-users"),
      skipSecondaryEmails: bool("skip-secondary-emails"),
      filterEmailDomains,
      skipAppGroups: bool("skip-app-groups"),
    },
    provisioning,
    server: {
      listen,
      tls,
      authToken,
      readMaxBytes,
      shutdownGraceMs: Math.round(graceSeconds * 1000),
      pagedPrefetch: bool("paged-prefetch"),
      healthListen,
      metricsListen,
    },
    logLevel,
    tracing: loadTracingConfig(input.env),
  };
  return { ...config, toJSON: () => redactedView(config) };
}

/**
 * The health and metrics ports: TCP only (the kubelet's probe and Prometheus dial TCP), and never a
 * port another listener already takes, which would otherwise fail later with EADDRINUSE.
 */
function loadSideListen(flag: string, raw: string | undefined, others: readonly (readonly [string, ListenAddress | undefined])[]): TcpListenAddress | undefined {
  if (raw === undefined) return undefined;
  const address = parseListenAddress(raw, flag);
  if (address.kind !== "tcp") throw new ConfigError(flag, `"${raw}" is a unix socket`, "use host:port, e.g. 0.0.0.0:8081: probes and scrapers dial TCP");
  for (const [otherFlag, other] of others) {
    if (other?.kind !== "tcp" || other.port === 0 || other.port !== address.port) continue;
    const wildcard = (host: string) => host === "0.0.0.0" || host === "::";
    if (other.host === address.host || wildcard(other.host) || wildcard(address.host)) {
      throw new ConfigError(flag, `${formatListenAddress(address)} takes the port of --${otherFlag} (${formatListenAddress(other)})`, "give each listener its own port");
    }
  }
  return address;
}

function resolveValues(specs: readonly FlagSpec[], flags: RawFlags, env: LoadConfigInput["env"]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const spec of specs) {
    const fromFlag = flags[spec.name];
    const fromEnv = env[envNameOf(spec.name)];
    const given = fromFlag !== undefined ? fromFlag : fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
    values.set(spec.name, coerce(spec, given));
  }
  return values;
}

function coerce(spec: FlagSpec, value: string | boolean | readonly string[] | undefined): unknown {
  if (value === undefined) return spec.defaultValue;
  switch (spec.kind) {
    case "boolean":
      if (typeof value === "boolean") return value;
      return parseBoolean(spec.name, String(value));
    case "list": {
      const parts = typeof value === "string" ? [value] : Array.isArray(value) ? value : [String(value)];
      return parts.flatMap((p) => p.split(",")).map((p) => p.trim()).filter((p) => p !== "");
    }
    case "string":
      return typeof value === "string" ? value : String(value);
  }
}

function parseBoolean(flag: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(v)) return true;
  if (["false", "0", "no", "off"].includes(v)) return false;
  throw new ConfigError(flag, `"${value}" is not a boolean`, "use true or false");
}

function parseWith<T>(flag: string, value: string | undefined, schema: z.ZodType<T>, fix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(flag, `"${value}" is not valid`, fix);
  return result.data;
}

function loadOktaAuth(
  str: (name: string) => string | undefined,
  list: (name: string) => readonly string[],
  provisioning: boolean,
  typeScopes: readonly string[],
  readFile: (path: string) => Buffer,
): OktaAuth {
  const token = secretFromFlagOrFile("api-token", str, readFile);
  const clientId = str("okta-client-id");
  if (token !== undefined && clientId !== undefined) {
    throw new ConfigError("api-token", "and --okta-client-id are both set", "use either an API token or an OAuth service app, not both");
  }
  if (token !== undefined) {
    if (!/^[\x21-\x7e]{20,}$/.test(token)) {
      throw new ConfigError("api-token", "does not look like an Okta API token (too short or contains spaces)", "copy the whole token from Okta's Admin Console, Security > API > Tokens");
    }
    return { kind: "ssws", token };
  }
  if (clientId === undefined) {
    throw new ConfigError("api-token", "is required (or --okta-client-id with a private key)", `set --api-token-file or ${envNameOf("api-token")}`);
  }
  const rawKey = secretFromFlagOrFile("okta-private-key", str, readFile);
  if (rawKey === undefined) {
    throw new ConfigError("okta-private-key", "is required with --okta-client-id", "set --okta-private-key-file to the app's PEM RSA private key");
  }
  // baton-okta accepts keys pasted into one-line env vars with literal "\n".
  const privateKeyPem = rawKey.includes("\\n") ? rawKey.replaceAll("\\n", "\n") : rawKey;
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(privateKeyPem).asymmetricKeyType;
  } catch {
    throw new ConfigError("okta-private-key", "is not a PEM private key", "give the PKCS#1 or PKCS#8 PEM of the app's RSA key");
  }
  if (keyType !== "rsa") {
    // The Okta Node SDK signs DPoP proofs with RS256 whatever the key (okta-sdk-nodejs#496).
    throw new ConfigError("okta-private-key", `is a ${keyType ?? "non-RSA"} key; Okta DPoP needs RSA`, "create an RSA key pair for the API Services app");
  }
  const scopes = list("okta-scopes");
  return {
    kind: "oauth",
    clientId,
    keyId: str("okta-private-key-id"),
    privateKeyPem,
    // A type's scopes come only with its flag (TypeFlag): a token request naming a scope the app was
    // not granted would otherwise fail for every org without the feature.
    scopes: scopes.length > 0 ? scopes : [...new Set([...READ_SCOPES, ...typeScopes, ...(provisioning ? MANAGE_SCOPES : [])])],
  };
}

function secretFromFlagOrFile(
  name: string,
  str: (name: string) => string | undefined,
  readFile: (path: string) => Buffer,
): string | undefined {
  const direct = str(name);
  const file = str(`${name}-file`);
  if (direct !== undefined && file !== undefined) {
    throw new ConfigError(name, `and --${name}-file are both set`, "give the secret only once");
  }
  if (file !== undefined) return readSecretFile(`${name}-file`, file, readFile);
  return direct?.trim();
}

function readSecretFile(flag: string, path: string, readFile: (path: string) => Buffer): string {
  let content: string;
  try {
    content = readFile(path).toString("utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ConfigError(flag, `cannot read ${path} (${code})`, "check the path and that the file is readable by this user");
  }
  if (content === "") throw new ConfigError(flag, `${path} is empty`, "put the secret in the file");
  return content;
}

function loadTls(str: (name: string) => string | undefined, clientSubjects: readonly string[], readFile: (path: string) => Buffer): TlsFiles | undefined {
  const cert = str("tls-cert");
  const key = str("tls-key");
  const clientCa = str("client-ca");
  if (clientSubjects.length > 0 && clientCa === undefined) {
    throw new ConfigError("client-cert-subject", "needs --client-ca", "subject pinning checks client certificates, which only mTLS asks for: give --client-ca (with --tls-cert and --tls-key)");
  }
  for (const subject of clientSubjects) validateClientSubject(subject);
  if (cert === undefined && key === undefined) {
    if (clientCa !== undefined) throw new ConfigError("client-ca", "needs --tls-cert and --tls-key", "mTLS runs over TLS: give the server's certificate and key too");
    return undefined;
  }
  if (cert === undefined) throw new ConfigError("tls-cert", "is required with --tls-key", "give both or neither");
  if (key === undefined) throw new ConfigError("tls-key", "is required with --tls-cert", "give both or neither");
  const read = (flag: string, path: string) => {
    const pem = Buffer.from(readSecretFile(flag, path, readFile));
    if (!pem.toString("utf8").includes("-----BEGIN")) throw new ConfigError(flag, `${path} is not PEM`, "give a PEM file");
    return pem;
  };
  return { cert: read("tls-cert", cert), key: read("tls-key", key), clientCa: clientCa === undefined ? undefined : read("client-ca", clientCa), clientSubjects };
}

/**
 * A pinned subject is `CN=<name>` or a whole subject `/K=V/K=V…`, compared as exact strings (no
 * patterns, so nothing from the command line becomes a regular expression).
 */
function validateClientSubject(subject: string): void {
  const fix = "give CN=<name>, or the whole subject as /C=US/O=Acme/CN=<name> (`openssl x509 -noout -subject -nameopt compat -in client.crt` prints it)";
  if (subject.startsWith("/")) {
    const parts = subject.slice(1).split("/");
    if (parts.every((part) => /^[A-Za-z][A-Za-z0-9.]*=[^=]+$/.test(part))) return;
    throw new ConfigError("client-cert-subject", `"${subject}" is not a subject`, fix);
  }
  if (/^CN=.+$/.test(subject)) return;
  throw new ConfigError("client-cert-subject", `"${subject}" is neither CN=<name> nor a whole subject`, fix);
}

function redactedView(config: Omit<Config, "toJSON">): unknown {
  const auth = config.okta.auth;
  return {
    okta: {
      orgUrl: config.okta.orgUrl,
      auth: auth.kind === "ssws"
        ? { kind: auth.kind, token: REDACTED }
        : { kind: auth.kind, clientId: auth.clientId, keyId: auth.keyId, privateKeyPem: REDACTED, scopes: auth.scopes },
    },
    sync: { ...config.sync, typeFlags: [...config.sync.typeFlags] },
    provisioning: config.provisioning,
    server: {
      listen: config.server.listen,
      tls: config.server.tls ? { mtls: config.server.tls.clientCa !== undefined, clientSubjects: config.server.tls.clientSubjects } : undefined,
      authToken: config.server.authToken === undefined ? undefined : REDACTED,
      readMaxBytes: config.server.readMaxBytes,
      shutdownGraceMs: config.server.shutdownGraceMs,
      healthListen: config.server.healthListen,
      metricsListen: config.server.metricsListen,
    },
    logLevel: config.logLevel,
    tracing: config.tracing === undefined
      ? undefined
      : { ...config.tracing, headers: Object.fromEntries(Object.keys(config.tracing.headers).map((name) => [name, REDACTED])) },
  };
}
