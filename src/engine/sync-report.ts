import { durationMs } from "@bufbuild/protobuf/wkt";
import { CoverageReason, CoverageScope, type SyncSummary } from "../../gen/oktaconnector/v1/stream_pb.js";
import type { SyncMode, SyncRun, TypeCount, TypeTotals } from "./snapshot-store.js";

/** One thing the sync could not see, as the connector's CoverageGap says it. */
export interface CoverageGapReport {
  readonly resourceTypeId: string;
  readonly scope: "resources" | "entitlements" | "grants" | "unspecified";
  readonly reason: "missing-permission" | "disabled-by-flag" | "filtered" | "unspecified";
  readonly detail: string;
  /** For missing-permission: the Okta admin role the credential lacks. */
  readonly missingOktaRole?: string;
  /** For disabled-by-flag: the connector flag that turns the data on. */
  readonly flag?: string;
}

/**
 * What a finished sync reports, printed as a table or as JSON and kept in `sync_runs.summary`. Plain
 * numbers (not bigints) so it round-trips through JSON.
 */
export interface SyncReport {
  readonly snapshot: string;
  readonly runId: number;
  readonly mode: SyncMode;
  /** The connector's sync id (stream mode). */
  readonly syncId?: string;
  /** Items per resource type as the connector counted them (stream), or as stored (paged). */
  readonly counts: readonly TypeCount[];
  readonly totals: TypeTotals;
  /** Rows in the snapshot: equal to `totals` unless something was lost or sent twice. */
  readonly stored: TypeTotals;
  /** Okta calls over every attempt of the run (stream mode; the paged RPCs do not report them). */
  readonly oktaCalls?: number;
  /** 429s Okta gave the final stream. */
  readonly oktaRateLimited?: number;
  /** gRPC calls the paged client made. */
  readonly rpcCalls?: number;
  /** From the first start to the end, across resumes. */
  readonly durationMs: number;
  readonly batches: number;
  /** Streams that broke and were resumed, in this invocation. */
  readonly retries: number;
  /** Absent in paged mode: the c1 paged RPCs have no coverage report. */
  readonly coverage?: { readonly complete: boolean; readonly gaps: readonly CoverageGapReport[] };
  /** Where `okta-connector watch` starts keeping this snapshot current (stream mode, a connector with an event feed). */
  readonly watchCursor?: string;
}

export function totalsOf(counts: readonly TypeTotals[]): TypeTotals {
  return counts.reduce((t, c) => ({ resources: t.resources + c.resources, entitlements: t.entitlements + c.entitlements, grants: t.grants + c.grants }), {
    resources: 0,
    entitlements: 0,
    grants: 0,
  });
}

/** The report of a stream run from the connector's SyncSummary and what the snapshot holds. */
export function reportFromSummary(summary: SyncSummary, run: SyncRun, context: { snapshot: string; stored: readonly TypeCount[]; oktaCallsBefore: number; retries: number }): SyncReport {
  const counts = summary.counts.map((c) => ({ resourceTypeId: c.resourceTypeId, resources: Number(c.resources), entitlements: Number(c.entitlements), grants: Number(c.grants) }));
  return {
    snapshot: context.snapshot,
    runId: run.id,
    mode: "stream",
    syncId: summary.syncId,
    counts,
    totals: totalsOf(counts),
    stored: totalsOf(context.stored),
    oktaCalls: context.oktaCallsBefore + Number(summary.oktaCalls),
    oktaRateLimited: Number(summary.oktaRateLimited),
    durationMs: summary.duration ? durationMs(summary.duration) : 0,
    batches: run.batches,
    retries: context.retries,
    coverage: {
      complete: summary.coverage?.complete ?? true,
      gaps: (summary.coverage?.gaps ?? []).map((g) => ({
        resourceTypeId: g.resourceTypeId,
        scope: SCOPE_NAMES[g.scope] ?? "unspecified",
        reason: REASON_NAMES[g.reason] ?? "unspecified",
        detail: g.detail,
        ...(g.missingOktaRole === "" ? {} : { missingOktaRole: g.missingOktaRole }),
        ...(g.flag === "" ? {} : { flag: g.flag }),
      })),
    },
    ...(summary.watchCursor === "" ? {} : { watchCursor: summary.watchCursor }),
  };
}

const SCOPE_NAMES: Partial<Record<CoverageScope, CoverageGapReport["scope"]>> = {
  [CoverageScope.RESOURCES]: "resources",
  [CoverageScope.ENTITLEMENTS]: "entitlements",
  [CoverageScope.GRANTS]: "grants",
};

const REASON_NAMES: Partial<Record<CoverageReason, CoverageGapReport["reason"]>> = {
  [CoverageReason.MISSING_PERMISSION]: "missing-permission",
  [CoverageReason.DISABLED_BY_FLAG]: "disabled-by-flag",
  [CoverageReason.FILTERED]: "filtered",
};
