import type { ConnectorMetadata } from "../../../gen/c1/connector/v2/connector_pb.js";
import type { PageTokenKey } from "../page-token.js";
import type { CoverageGap, SyncCallContext } from "../resource-syncer.js";
import type { SyncerRegistry } from "../syncer-registry.js";

/** Everything the c1 services need from the connector: its syncers and a few connector-wide hooks. */
export interface ConnectorDefinition {
  readonly registry: SyncerRegistry;
  /** Signs page tokens; derived from the org and credential so tokens survive restarts. */
  readonly pageTokenKey: PageTokenKey;
  /** Display name, capabilities and account schema, as GetMetadata returns them. */
  metadata(ctx: SyncCallContext): Promise<ConnectorMetadata>;
  /** Checks the credential against Okta; throws a kinded error saying what is missing. */
  validate(ctx: SyncCallContext): Promise<void>;
  /** Whether Grant, Revoke, account creation and actions are allowed (--provisioning). */
  readonly provisioning: boolean;
  /**
   * Identifies the org and every setting that changes what a sync emits. Sync resume cursors carry it,
   * so a cursor from another org or configuration is refused instead of silently mixing two datasets.
   */
  readonly syncFingerprint?: string;
  /** Okta HTTP calls made so far by this process (for sync summaries). */
  oktaCallStats?(): { readonly calls: number; readonly rateLimited: number };
  /** Data left out by configuration (flags), per resource type, for the coverage report. */
  readonly configurationGaps?: readonly { readonly resourceTypeId: string; readonly gap: CoverageGap }[];
}

/** The semver reported as Validate's sdk_version: the baton-sdk version our wire contract matches. */
export const BATON_SDK_VERSION = "v0.25.0";
