import type { ConnectorMetadata } from "../../../gen/c1/connector/v2/connector_pb.js";
import type { AuditEntry, UpstreamCall } from "../audit.js";
import type { EventFeedSource } from "../event-feed.js";
import type { PagePrefetcher } from "../page-prefetch.js";
import type { PageTokenKey } from "../page-token.js";
import type { CoverageGap, SyncCallContext } from "../resource-syncer.js";
import type { SyncerRegistry } from "../syncer-registry.js";

/** The access a provisioning call on a resource type needs, as the credential's capability probe sees it. */
export interface ProvisioningAccess {
  /** The Okta admin role the call needs, as the Admin Console names it. */
  readonly requiredRole: string;
  /** Why this credential cannot make the call, decided before any Okta write; undefined when it can. */
  readonly denied?: string | undefined;
}

/** The Okta calls of one piece of work (a sync, a page), filled in by ConnectorDefinition.countOktaCalls. */
export interface OktaCallTally {
  calls: number;
  /** Answers that were 429. */
  rateLimited: number;
  /** The last attempt's method and path (`GET /api/v1/users`), "" before any; ids only, never a query. */
  lastCall: string;
}

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
  /** Okta HTTP calls made so far by this process. */
  oktaCallStats?(): { readonly calls: number; readonly rateLimited: number };
  /**
   * Runs `run`, adding every Okta attempt it causes (retries and OAuth token requests included) to
   * `tally`, and to the tallies of any countOktaCalls it runs inside. A Sync's summary counts its own
   * calls this way, whatever other syncs run at the same time.
   */
  countOktaCalls?<T>(tally: OktaCallTally, run: () => Promise<T>): Promise<T>;
  /**
   * False while Okta has no room for more work now: a rate-limit bucket is being paced, or as many
   * calls are in flight as Okta's concurrency limit lets this process have. A Sync's look-ahead asks
   * before each read it starts early; absent means always room.
   */
  oktaHeadroom?(): boolean;
  /** Fetches the next page of a paged listing ahead (--paged-prefetch); absent means every page is fetched live. */
  readonly pagePrefetch?: PagePrefetcher;
  /** Data left out by configuration (flags), per resource type, for the coverage report. */
  readonly configurationGaps?: readonly { readonly resourceTypeId: string; readonly gap: CoverageGap }[];
  /** What provisioning `resourceTypeId` needs and whether this credential has it; absent means no check. */
  provisioningAccess?(resourceTypeId: string, ctx: SyncCallContext): Promise<ProvisioningAccess>;
  /**
   * Runs one provisioning operation while recording the Okta calls it makes (for the audit line).
   * `calls` fills in as the operation runs and is complete once `result` settles.
   */
  traceUpstream?<T>(run: () => Promise<T>): { readonly result: Promise<T>; readonly calls: readonly UpstreamCall[] };
  /** The feed ListEvents serves (Okta's System Log); absent means ListEventFeeds is empty. */
  readonly eventFeed?: EventFeedSource;
  /** Receives one entry per provisioning call; serve writes it as a structured log line. */
  audit?(entry: AuditEntry): void;
}

/** The semver reported as Validate's sdk_version: the baton-sdk version our wire contract matches. */
export const BATON_SDK_VERSION = "v0.25.0";
