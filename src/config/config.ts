import type { ListenAddress, TcpListenAddress } from "./listen-address.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

export type OktaAuth =
  | { readonly kind: "ssws"; readonly token: string }
  | {
      readonly kind: "oauth";
      readonly clientId: string;
      readonly keyId: string | undefined;
      readonly privateKeyPem: string;
      readonly scopes: readonly string[];
    };

/** What the syncers need to decide what to list; no secrets. */
export interface SyncOptions {
  readonly syncInactiveApps: boolean;
  readonly syncCustomRoles: boolean;
  /** The names of the resource types' own flags that are on (declared in their folders); see TypeFlag. */
  readonly typeFlags: ReadonlySet<string>;
  readonly syncDeprovisionedUsers: boolean;
  readonly skipSecondaryEmails: boolean;
  readonly filterEmailDomains: readonly string[];
  readonly skipAppGroups: boolean;
}

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** When present, clients must present a certificate signed by this CA. */
  readonly clientCa: Buffer | undefined;
  /**
   * --client-cert-subject: the client certificate subjects allowed to call, each `CN=<name>` or a whole
   * subject `/K=V/K=V` in certificate order. Empty: any certificate the CA signed.
   */
  readonly clientSubjects: readonly string[];
}

export interface ServerConfig {
  readonly listen: ListenAddress;
  readonly tls: TlsFiles | undefined;
  readonly authToken: string | undefined;
  readonly readMaxBytes: number;
  readonly shutdownGraceMs: number;
  /** --paged-prefetch: fetch the next page of paged listings ahead. Absent means on. */
  readonly pagedPrefetch?: boolean;
  /** Where grpc.health.v1 alone is served in plaintext (--health-listen); TCP only, off when undefined. */
  readonly healthListen: TcpListenAddress | undefined;
  /** Where Prometheus scrapes /metrics over HTTP/1.1 (--metrics-listen); TCP only, off when undefined. */
  readonly metricsListen: TcpListenAddress | undefined;
}

/** How trace sampling decides, from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG. */
export type TraceSampler =
  | { readonly kind: "always_on" | "always_off" | "parentbased_always_on" | "parentbased_always_off" }
  | { readonly kind: "traceidratio" | "parentbased_traceidratio"; readonly ratio: number };

/** OpenTelemetry tracing, from the standard OTEL_* variables; present only when tracing is on. */
export interface TracingConfig {
  /** The OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces. */
  readonly endpoint: string;
  /** Headers sent with every export (often an API key): a secret, redacted in logs. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** From OTEL_RESOURCE_ATTRIBUTES, e.g. k8s.pod.name. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TraceSampler;
}

/** The validated configuration of `okta-connector serve`. Built only by loadConfig. */
export interface Config {
  readonly okta: { readonly orgUrl: string; readonly auth: OktaAuth };
  readonly sync: SyncOptions;
  readonly provisioning: boolean;
  readonly server: ServerConfig;
  readonly logLevel: LogLevel;
  /** Off (undefined) unless OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint variable is set. */
  readonly tracing: TracingConfig | undefined;
  /** A loggable view with every secret replaced by [REDACTED]. */
  toJSON(): unknown;
}

export const REDACTED = "[REDACTED]";
