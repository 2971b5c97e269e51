import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ListingHistory } from "../listing-loop.js";
import { decodePageToken, encodePageToken, inspectPageToken, PageTokenError, type PageTokenKey } from "../page-token.js";
import type { Cursor } from "../resource-syncer.js";

/**
 * Where a Sync stream stands, carried in every batch's resume_cursor. A position is: the resource type
 * (by index), the cursor of the resource page being worked on, the resource within that page, the stage
 * (its entitlements or grants), the cursor of that sub-listing's current page, and how many items of
 * that page were already sent. Resuming re-reads the current pages and skips what was sent, which
 * Okta's `after` cursors make deterministic.
 */
export interface SyncPosition {
  readonly syncId: string;
  /** Epoch ms of the original start, so a resumed sync reports its whole duration. */
  readonly startedAt: number;
  readonly typeIndex: number;
  readonly listCursor: Cursor | null;
  readonly stage: "resources" | "entitlements" | "grants";
  readonly resourceIndex: number;
  readonly subCursor: Cursor | null;
  readonly offset: number;
  /**
   * The listing histories (listing-loop.ts) of the resource page and of the sub-listing page being
   * worked on, as they were before that page was read; absent at a listing's start (and in cursors of
   * earlier versions, which then start them afresh).
   */
  readonly listHistory?: ListingHistory | undefined;
  readonly subHistory?: ListingHistory | undefined;
  /** Items sent so far per type id: [resources, entitlements, grants]. */
  readonly counts: Readonly<Record<string, readonly [number, number, number]>>;
}

const SYNC_CURSOR_VERSION = 1;

/** The token scope binds a cursor to the org and configuration that produced it. */
function scopeOf(fingerprint: string): string {
  return `sync/v${SYNC_CURSOR_VERSION}/${fingerprint}`;
}

export function fingerprintOf(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 22);
}

export function encodeSyncCursor(key: PageTokenKey, fingerprint: string, position: SyncPosition): string {
  return encodePageToken(key, scopeOf(fingerprint), position as unknown as Cursor);
}

/**
 * Decodes a resume_cursor. A cursor of another org, configuration or version is FAILED_PRECONDITION (the
 * engine must start a new sync); one that is malformed or altered is INVALID_ARGUMENT.
 */
export function decodeSyncCursor(key: PageTokenKey, fingerprint: string, orgHint: string, token: string): SyncPosition {
  try {
    return validPosition(decodePageToken(key, scopeOf(fingerprint), token));
  } catch (error) {
    if (!(error instanceof PageTokenError)) throw error;
    const seen = inspectPageToken(token);
    const seenScope = typeof seen?.scope === "string" ? seen.scope : "";
    if (error.problem === "version") {
      throw new ConnectError(`resume_cursor: ${error.message}; start a new sync without resume_cursor`, Code.FailedPrecondition);
    }
    if (error.problem === "scope" && seenScope.startsWith("sync/v") && !seenScope.startsWith(`sync/v${SYNC_CURSOR_VERSION}/`)) {
      throw new ConnectError(`resume_cursor: comes from an unknown cursor version (${seenScope.split("/")[1]}); start a new sync`, Code.FailedPrecondition);
    }
    if (error.problem === "scope" && seenScope.startsWith("sync/")) {
      throw new ConnectError(
        "resume_cursor: was made with a different configuration (flags that change what is synced); start a new sync, or restart the connector with the flags of the interrupted one",
        Code.FailedPrecondition,
      );
    }
    if (error.problem === "integrity" && seenScope.startsWith("sync/") && !seenScope.endsWith(fingerprint)) {
      throw new ConnectError(`resume_cursor: comes from another Okta org or credential than ${orgHint}; start a new sync`, Code.FailedPrecondition);
    }
    throw new ConnectError(`resume_cursor: ${error.problem === "scope" ? "is not a Sync cursor" : error.message}`, Code.InvalidArgument);
  }
}

function validPosition(value: unknown): SyncPosition {
  const p = value as Partial<SyncPosition> | null;
  const ok =
    p !== null && typeof p === "object" &&
    typeof p.syncId === "string" && typeof p.startedAt === "number" &&
    Number.isInteger(p.typeIndex) && p.typeIndex! >= 0 &&
    Number.isInteger(p.resourceIndex) && p.resourceIndex! >= 0 &&
    Number.isInteger(p.offset) && p.offset! >= 0 &&
    (p.stage === "resources" || p.stage === "entitlements" || p.stage === "grants") &&
    "listCursor" in p && "subCursor" in p && typeof p.counts === "object" && p.counts !== null;
  if (!ok) throw new ConnectError("resume_cursor: is not a valid Sync position", Code.InvalidArgument);
  return p as SyncPosition;
}
