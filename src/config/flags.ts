/**
 * The one table of command-line flags. The CLI builds its options from it, the README's flag table is
 * checked against it, and every flag can also be set as `BATON_<NAME>` (baton-sdk's convention, so a
 * deployment written for baton-okta keeps working).
 */
export type FlagKind = "string" | "boolean" | "list";

export interface FlagSpec {
  /** Long flag name without dashes, e.g. "api-token". */
  readonly name: string;
  readonly kind: FlagKind;
  readonly description: string;
  /** Secrets are shown as [REDACTED] in --help defaults, config errors and logs. */
  readonly secret?: boolean;
  readonly defaultValue?: string | boolean;
}

/**
 * A flag a resource type declares in its own folder (its descriptor's `flags`), so adding a type never
 * edits this file: a boolean, off by default, whose name lands in `SyncOptions.typeFlags` when set.
 * `oauthScopes` are added to the default OAuth scopes only when the flag is on, as baton-okta asks for
 * okta.devices.read only with --sync-devices: a token request naming a scope the app was not granted
 * would otherwise fail for every org that does not use the feature.
 */
export interface TypeFlag {
  readonly spec: FlagSpec & { readonly kind: "boolean" };
  readonly oauthScopes?: readonly string[];
}

/** The serve flags with the types' own flags after the Okta ones, as `--help` and the README list them. */
export function serveFlagsWith(typeFlags: readonly TypeFlag[]): readonly FlagSpec[] {
  return [...oktaFlags, ...typeFlags.map((f) => f.spec), ...serviceFlags];
}

/** `api-token` → `BATON_API_TOKEN`. */
export function envNameOf(flag: string): string {
  return `BATON_${flag.toUpperCase().replaceAll("-", "_")}`;
}

/** Flags that configure how the connector reaches Okta and what it syncs. Names follow baton-okta. */
export const oktaFlags: readonly FlagSpec[] = [
  { name: "domain", kind: "string", description: "Okta org: a host (acme.okta.com), host:port or https:// URL; http:// only for loopback (the simulated org)" },
  { name: "api-token", kind: "string", secret: true, description: "Okta API token (SSWS). Prefer --api-token-file" },
  { name: "api-token-file", kind: "string", description: "File holding the Okta API token (e.g. a mounted Kubernetes Secret)" },
  { name: "okta-client-id", kind: "string", description: "Client id of an Okta API Services app (OAuth 2.0 private_key_jwt + DPoP), instead of an API token" },
  { name: "okta-private-key-id", kind: "string", description: "Key id (kid) of the API Services app's public key" },
  { name: "okta-private-key", kind: "string", secret: true, description: "PEM RSA private key of the API Services app. Prefer --okta-private-key-file" },
  { name: "okta-private-key-file", kind: "string", description: "File holding the PEM RSA private key" },
  { name: "okta-scopes", kind: "list", description: "OAuth scopes to request (comma-separated); default: the read scopes, plus the manage scopes with --provisioning" },
  { name: "sync-inactive-apps", kind: "boolean", defaultValue: true, description: "Sync INACTIVE apps too (baton-okta's default)" },
  { name: "skip-inactive-apps", kind: "boolean", defaultValue: false, description: "Sync only ACTIVE apps (the same as --sync-inactive-apps=false)" },
  { name: "sync-custom-roles", kind: "boolean", defaultValue: false, description: "Also sync custom roles, resource sets and their bindings" },
  { name: "sync-deprovisioned-users", kind: "boolean", defaultValue: false, description: "Also sync DEPROVISIONED users" },
  { name: "skip-secondary-emails", kind: "boolean", defaultValue: false, description: "Leave profile.secondEmail out of users' emails" },
  { name: "filter-email-domains", kind: "list", description: "Only sync users with an email or login in these domains (comma-separated)" },
  { name: "skip-app-groups", kind: "boolean", defaultValue: false, description: "Leave out APP_GROUP groups (groups pushed or imported by apps)" },
  { name: "provisioning", kind: "boolean", defaultValue: false, description: "Allow Grant, Revoke, account creation and actions (off: they answer FAILED_PRECONDITION)" },
];

/** Flags that configure the gRPC service itself. */
export const serviceFlags: readonly FlagSpec[] = [
  { name: "listen", kind: "string", defaultValue: "127.0.0.1:50051", description: "Address to serve on: host:port, or unix:///path/to.sock" },
  { name: "tls-cert", kind: "string", description: "PEM certificate file; with --tls-key, serve TLS instead of cleartext h2c" },
  { name: "tls-key", kind: "string", description: "PEM private key file for --tls-cert" },
  { name: "client-ca", kind: "string", description: "PEM CA file; when set, clients must present a certificate it signed (mTLS)" },
  {
    name: "client-cert-subject",
    kind: "list",
    description: "With --client-ca, only these client certificates may call (comma-separated): CN=<name> matches the subject's one CN exactly, /C=US/O=Acme/CN=<name> the whole subject in certificate order; others get PERMISSION_DENIED",
  },
  { name: "auth-token-file", kind: "string", description: "File holding a bearer token every RPC but health and reflection must carry" },
  { name: "log-level", kind: "string", defaultValue: "info", description: "Log level: fatal, error, warn, info, debug or trace" },
  { name: "shutdown-grace-seconds", kind: "string", defaultValue: "20", description: "On SIGTERM, how long streams in flight may run before they get UNAVAILABLE" },
  { name: "read-max-bytes", kind: "string", defaultValue: "4194304", description: "Largest request message accepted, in bytes (after decompression)" },
  {
    name: "health-listen",
    kind: "string",
    description: "Also serve grpc.health.v1, and nothing else, in plaintext on this host:port, e.g. 0.0.0.0:8081 for the kubelet's gRPC probe (off by default)",
  },
  { name: "metrics-listen", kind: "string", description: "Serve Prometheus metrics over HTTP/1.1 at /metrics on this host:port, e.g. 0.0.0.0:9464 (off by default)" },
  {
    name: "paged-prefetch",
    kind: "boolean",
    defaultValue: true,
    description: "Fetch pages of ListResources, ListEntitlements and ListGrants ahead: the next page while the engine stores this one, and the next types' and resources' listings once the engine's walk over them shows its direction (at most 128 pages and 16 speculative fetches per caller, 64 MiB held (32 MiB for speculation), 120 s)",
  },
];

/** The serve flags of the connector itself, without any type's: see `serveFlagsWith`. */
export const allServeFlags: readonly FlagSpec[] = [...oktaFlags, ...serviceFlags];
