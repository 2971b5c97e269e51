import type { ListenAddress } from "./listen-address.js";

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
}

export interface ServerConfig {
  readonly listen: ListenAddress;
  readonly tls: TlsFiles | undefined;
  readonly authToken: string | undefined;
  readonly readMaxBytes: number;
  readonly shutdownGraceMs: number;
}

/** The validated configuration of `okta-connector serve`. Built only by loadConfig. */
export interface Config {
  readonly okta: { readonly orgUrl: string; readonly auth: OktaAuth };
  readonly sync: SyncOptions;
  readonly provisioning: boolean;
  readonly server: ServerConfig;
  readonly logLevel: LogLevel;
  /** A loggable view with every secret replaced by [REDACTED]. */
  toJSON(): unknown;
}

export const REDACTED = "[REDACTED]";
