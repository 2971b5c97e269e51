import { describe, expect, it } from "vitest";
import { OktaError } from "../../okta/index.js";
import type { SyncCallContext } from "../../protocol/resource-syncer.js";
import { createMfaStatusReader, mfaCoverageGaps, MFA_LEAVE_FOR_OTHERS } from "./mfa-status.js";
import type { OktaFactorSummary } from "./user-posture.js";

const ctx = (): SyncCallContext => ({ signal: new AbortController().signal });

/** A factor source over a table of users; ids starting `00uF` are refused, `00uG` gone. */
function factorSource(table: Record<string, OktaFactorSummary[]>) {
  let inFlight = 0;
  const seen = { maxInFlight: 0, leaveForOthers: new Set<number>() };
  const listFactors = async (userId: string, options: { leaveForOthers: number }) => {
    seen.leaveForOthers.add(options.leaveForOthers);
    seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    if (userId.startsWith("00uF")) throw new OktaError({ kind: "forbidden", status: 403, message: "E0000006" });
    if (userId.startsWith("00uG")) throw new OktaError({ kind: "not-found", status: 404, message: "E0000007" });
    if (userId.startsWith("00uX")) throw new OktaError({ kind: "unavailable", status: 503, message: "down" });
    return table[userId] ?? [];
  };
  return { listFactors, seen };
}

describe("createMfaStatusReader", () => {
  it("reads a page with at most the concurrency in flight, leaving half the bucket to others", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `00u${String(i).padStart(17, "0")}`);
    const { listFactors, seen } = factorSource({ [ids[3]!]: [{ status: "ACTIVE" }], [ids[4]!]: [{ status: "PENDING_ACTIVATION" }] });
    const reader = createMfaStatusReader({ listFactors, concurrency: 5 });
    const got = await reader.read(ids, ctx());
    expect(got.size).toBe(40);
    expect([got.get(ids[3]!), got.get(ids[4]!), got.get(ids[5]!)]).toEqual([true, false, false]);
    expect(seen.maxInFlight).toBe(5);
    expect([...seen.leaveForOthers]).toEqual([MFA_LEAVE_FOR_OTHERS]);
  });

  it("leaves refused (403) and deleted (404) users unknown, counts them per sync context, and fails on anything else", async () => {
    const { listFactors } = factorSource({ "00uA1": [{ status: "ACTIVE" }] });
    const reader = createMfaStatusReader({ listFactors });
    const sync = ctx();
    const got = await reader.read(["00uA1", "00uF1", "00uF2", "00uG1"], sync);
    expect([...got]).toEqual([["00uA1", true]]);
    expect(reader.gaps(sync)).toEqual([{
      scope: "resources",
      reason: "missing-permission",
      detail: "MFA status read for 1 of 4 users; 3 left without mfa_status: Okta refused 2 (403: the credential's admin role does not cover them); 1 deleted before their factors were read (404)",
      flag: "--sync-mfa-status",
    }]);
    expect(reader.gaps(ctx())).toEqual([]);
    await expect(reader.read(["00uX1"], sync)).rejects.toMatchObject({ kind: "unavailable" });
  });
});

describe("mfaCoverageGaps", () => {
  it("is empty when every user was read, and 'filtered' when users were only deleted", () => {
    expect(mfaCoverageGaps(undefined)).toEqual([]);
    expect(mfaCoverageGaps({ read: 2000, forbidden: 0, gone: 0 })).toEqual([]);
    expect(mfaCoverageGaps({ read: 1999, forbidden: 0, gone: 1 })).toEqual([
      expect.objectContaining({ reason: "filtered", detail: "MFA status read for 1,999 of 2,000 users; 1 left without mfa_status: 1 deleted before their factors were read (404)" }),
    ]);
  });
});
