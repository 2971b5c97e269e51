import type { JsonObject } from "@bufbuild/protobuf";
import type { BatonActionSchema } from "../../gen/c1/connector/v2/action_pb.js";
import type { ConnectorAccountCreationSchema, CredentialDetails } from "../../gen/c1/connector/v2/connector_pb.js";
import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import type { Resource, ResourceId, ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";

/**
 * A syncer's own position in a listing: small, JSON-serialisable state (typically a phase and an Okta
 * `after` value). The protocol layer wraps it in a signed page token; syncers never see token strings.
 */
export type Cursor = string | number | boolean | null | readonly Cursor[] | { readonly [key: string]: Cursor };

export interface Page<T> {
  readonly items: readonly T[];
  /** Where the next page starts; undefined when this is the last page. */
  readonly cursor?: Cursor | undefined;
}

export interface SyncCallContext {
  /** Aborts when the client cancels, the deadline passes or the server shuts down: stop calling Okta. */
  readonly signal: AbortSignal;
  /**
   * The engine's sync the call belongs to (the request's active_sync_id), when it names one: what a
   * syncer keeps for one sync (an index read once per sync) must not answer another, e.g. a targeted
   * sync made after changes the index predates.
   */
  readonly activeSyncId?: string | undefined;
  /**
   * Set on a read the Sync stream starts far ahead of itself (sync-lookahead.ts). It resolves when the
   * read may send its next Okta request, and it waits while the stream's client is not reading. A read
   * that fans out into a request per principal (the admin-role index reads every group's roles) awaits
   * it before each one, so a paused stream stops calling Okta.
   */
  readonly whenWanted?: (() => Promise<void>) | undefined;
}

/** A provisioning call's context: the RPC's cancellation plus the deadline Okta retries must finish by. */
export interface ProvisionCallContext extends SyncCallContext {
  /** Local epoch ms derived from the RPC deadline; no Okta attempt or retry wait may run past it. */
  readonly deadlineMs?: number | undefined;
}

/** What a Grant did. `grants` are built exactly as the next sync lists them (same ids, same annotations). */
export interface GrantOutcome {
  readonly grants: readonly Grant[];
  /** Nothing was changed: the access was already there (the response carries GrantAlreadyExists). */
  readonly alreadyExists: boolean;
}

/** What a Revoke did. */
export interface RevokeOutcome {
  /** Nothing was changed: the access was already gone (the response carries GrantAlreadyRevoked). */
  readonly alreadyRevoked: boolean;
}

/** How the password of a new account is chosen (baton's CredentialOptions, validated). */
export type AccountCredential =
  | { readonly kind: "no-password" }
  | {
      readonly kind: "random-password";
      /** 8..64. */
      readonly length: number;
      /** "At least minCount characters from charSet", each. */
      readonly constraints: readonly { readonly charSet: string; readonly minCount: number }[];
    };

/** A CreateAccount request as the syncer sees it (baton's AccountInfo plus credential options). */
export interface AccountRequest {
  readonly login: string;
  readonly emails: readonly { readonly address: string; readonly primary: boolean }[];
  /** The account-creation schema's fields, as the engine filled them in. */
  readonly profile: JsonObject;
  readonly credential: AccountCredential;
  readonly forceChangeAtNextLogin: boolean;
}

/** A secret made for the caller (a generated password): returned once, never logged. */
export interface AccountSecret {
  readonly name: string;
  readonly description: string;
  readonly value: string;
}

/** What CreateAccount did; `already-exists` returns the account that holds the login. */
export interface AccountOutcome {
  readonly result: "created" | "action-required" | "already-exists";
  readonly resource: Resource;
  /** What someone must do before the account works (for action-required). */
  readonly message?: string;
  readonly secrets: readonly AccountSecret[];
}

/** An action a syncer offers through ActionService (baton's custom actions). */
export interface SyncerAction {
  readonly schema: BatonActionSchema;
  /** Runs the action to completion; `args` are the InvokeAction arguments. */
  invoke(args: JsonObject, ctx: ProvisionCallContext): Promise<{ readonly response: JsonObject; readonly outcome: string }>;
}

/** Why a resource type is not (fully) synced: reported in ListResourceTypes annotations and Sync's coverage. */
export interface CoverageGap {
  readonly scope: "resources" | "entitlements" | "grants";
  readonly reason: "missing-permission" | "disabled-by-flag" | "filtered";
  readonly detail: string;
  readonly missingOktaRole?: string;
  readonly flag?: string;
}

/**
 * One Okta resource type: the seam between the baton protocol (written once, in this folder) and
 * Okta (one folder per type in src/types/). Both the paged c1 RPCs and the streaming RPCs
 * are adapters over these methods, so their output is identical by construction.
 */
export interface ResourceSyncer {
  readonly resourceType: ResourceType;
  /** Resources of this type, page by page; `parent` is set when listing children of a resource. */
  list(parent: ResourceId | undefined, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Resource>>;
  entitlements(resource: Resource, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Entitlement>>;
  grants(resource: Resource, cursor: Cursor | undefined, ctx: SyncCallContext): Promise<Page<Grant>>;
  /** One resource by id, for targeted sync (ResourceGetterService); undefined when it does not exist. */
  get?(id: ResourceId, parent: ResourceId | undefined, ctx: SyncCallContext): Promise<Resource | undefined>;
  /**
   * Every grant `principal` holds on this type's resources, as a full listing would hold them; undefined
   * when this type grants nothing to principals of that type. Watch reads it when a principal appears or
   * changes, since Okta does not log every grant that follows (a new user's Everyone membership).
   */
  grantsHeldBy?(principal: ResourceId, ctx: SyncCallContext): Promise<readonly Grant[] | undefined>;
  /** What this syncer cannot see with the current credential or flags (may ask Okta once). */
  coverageGaps?(ctx: SyncCallContext): Promise<readonly CoverageGap[]>;
  /**
   * What the listings made with `ctx` could read only in part (users whose MFA factors Okta refused),
   * known only once they ran: a whole-org Sync adds these to its summary's coverage.
   */
  listingGaps?(ctx: SyncCallContext): readonly CoverageGap[];

  /*
   * Provisioning: every member is optional, and a type without one answers UNIMPLEMENTED for that
   * call. The protocol layer validates requests, checks --provisioning and the credential, and audits;
   * these only talk to Okta and must be idempotent (a repeat is a success with the "already" flag).
   */

  /** Grants `entitlement` (on a resource of this type) to `principal`. */
  grant?(principal: Resource, entitlement: Entitlement, ctx: ProvisionCallContext): Promise<GrantOutcome>;
  /** Revokes `grant`, whose entitlement is on a resource of this type. */
  revoke?(grant: Grant, ctx: ProvisionCallContext): Promise<RevokeOutcome>;
  /** Creates an account of this type (AccountManagerService). */
  createAccount?(request: AccountRequest, ctx: ProvisionCallContext): Promise<AccountOutcome>;
  /** With createAccount: the form GetMetadata offers for it, and the password options it accepts. */
  accountForm?(): { readonly schema: ConnectorAccountCreationSchema; readonly credentialDetails: CredentialDetails };
  /** Deletes a resource of this type for good; `alreadyGone` when there was nothing to delete. */
  delete?(id: ResourceId, ctx: ProvisionCallContext): Promise<{ readonly alreadyGone: boolean }>;
  /** Actions offered through ActionService, by unique schema name. */
  readonly actions?: readonly SyncerAction[];
}
