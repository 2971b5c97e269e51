import { isOktaError } from "../../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";
import { forEachLimited } from "../shared/for-each-limited.js";
import { mfaEnabledOf, type OktaFactorSummary } from "./user-posture.js";

/**
 * With --sync-mfa-status: each listed user's factors, one Okta call per user (Okta has no bulk
 * endpoint), read for a whole page at once with a few calls in flight, so a page of 200 users costs
 * 200 calls and stays bounded in time. The calls leave half of their rate-limit bucket to others:
 * past that they wait for the next window, so the sync's own member and app-user listings, which
 * share the bucket, and the org's other API clients are never starved.
 */

/** Factor reads in flight per page; Okta's concurrency limit is per org, so this stays small. */
export const MFA_READ_CONCURRENCY = 8;
/** The share of the "other" bucket the factor reads leave to everything else. */
export const MFA_LEAVE_FOR_OTHERS = 0.5;

/** What one sync learnt: users whose factors were read, and those Okta refused (403) or no longer had (404). */
export interface MfaTally {
  read: number;
  forbidden: number;
  gone: number;
}

export interface MfaStatusReaderDeps {
  readonly listFactors: (userId: string, options: { signal: AbortSignal; leaveForOthers: number }) => Promise<readonly OktaFactorSummary[]>;
  readonly concurrency?: number;
}

export interface MfaStatusReader {
  /** mfa_enabled by user id; a user whose factors could not be read is absent (unknown, not false). */
  read(userIds: readonly string[], ctx: SyncCallContext): Promise<Map<string, boolean>>;
  /** What this call context's reads left unread, for the coverage report at the end of a sync. */
  gaps(ctx: SyncCallContext): readonly CoverageGap[];
}

export function createMfaStatusReader(deps: MfaStatusReaderDeps): MfaStatusReader {
  // Per call context: a whole-org Sync lists every page with one context, so its summary gets the
  // counts of its own reads, and concurrent syncs never mix theirs.
  const tallies = new WeakMap<SyncCallContext, MfaTally>();
  const tallyOf = (ctx: SyncCallContext): MfaTally => {
    let tally = tallies.get(ctx);
    if (!tally) tallies.set(ctx, (tally = { read: 0, forbidden: 0, gone: 0 }));
    return tally;
  };
  return {
    async read(userIds, ctx) {
      const tally = tallyOf(ctx);
      const out = new Map<string, boolean>();
      await forEachLimited(userIds, deps.concurrency ?? MFA_READ_CONCURRENCY, async (userId) => {
        try {
          const factors = await deps.listFactors(userId, { signal: ctx.signal, leaveForOthers: MFA_LEAVE_FOR_OTHERS });
          out.set(userId, mfaEnabledOf(factors));
          tally.read++;
        } catch (error) {
          // One user's refusal or deletion leaves that user's MFA status unknown; anything else
          // (an outage, a cancelled call) fails the page, which a resumed sync asks again.
          if (isOktaError(error) && error.kind === "forbidden") tally.forbidden++;
          else if (isOktaError(error) && error.kind === "not-found") tally.gone++;
          else throw error;
        }
      });
      return out;
    },
    gaps: (ctx) => mfaCoverageGaps(tallies.get(ctx)),
  };
}

/** The coverage gaps of one sync's factor reads: none when every user's factors were read. */
export function mfaCoverageGaps(tally: MfaTally | undefined): readonly CoverageGap[] {
  if (!tally || tally.forbidden + tally.gone === 0) return [];
  const total = tally.read + tally.forbidden + tally.gone;
  const why = [
    ...(tally.forbidden > 0 ? [`Okta refused ${count(tally.forbidden)} (403: the credential's admin role does not cover them)`] : []),
    ...(tally.gone > 0 ? [`${count(tally.gone)} deleted before their factors were read (404)`] : []),
  ];
  const detail = `MFA status read for ${count(tally.read)} of ${count(total)} users; ${count(total - tally.read)} left without mfa_status: ${why.join("; ")}`;
  return [{
    scope: "resources",
    reason: tally.forbidden > 0 ? "missing-permission" : "filtered",
    detail,
    flag: "--sync-mfa-status",
  }];
}

const count = (n: number): string => n.toLocaleString("en-US");
