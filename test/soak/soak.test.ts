import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { countDifferences } from "../../scripts/soak/sync-run.js";
import type { SoakResults } from "../../scripts/soak/results.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = join(REPO_ROOT, "node_modules/.bin/tsx");
const work = mkdtempSync(join(tmpdir(), "soak-test-"));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Runs `tsx scripts/soak.ts …args` as `npm run soak` does, after the build the vitest global setup
 * made. `onStderr` sees the progress as it comes, and may signal the process.
 */
function soak(args: readonly string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["scripts/soak.ts", ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run soak", () => {
  it("runs two syncs (one stream, one paged) and two grant/revoke cycles under faults, and reports them with no error", async () => {
    const out = join(work, "soak.json");
    const run = await soak(["--max-syncs", "2", "--users", "200", "--duration", "2m", "--paged-every", "2", "--out", out]);
    expect(run.stderr).toContain("soak: #2 ");
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, "utf8")) as SoakResults;
    expect(results).toMatchObject({ stoppedBy: "max-syncs", syncs: 2, streamSyncs: 1, pagedSyncs: 1, failedSyncs: 0, cycles: 2, failedCycles: 0, errors: { count: 0, first: [] } });
    expect(results.config.faults).toMatchObject({ errorRate: 0.02, resetRate: 0.01, malformedRate: 0.01, stormRate: 0.01 });
    // The paged sync must see exactly what the stream saw: same org, every cycle undone.
    expect(results.syncRuns.map((s) => s.totals)).toEqual([results.reference, results.reference]);
    expect(results.reference!.resources).toBeGreaterThan(200);
    expect(results.reference!.grants).toBeGreaterThan(0);
    expect(results.cycleRuns.map((c) => c.kind)).toEqual(["group-membership", "app-assignment"]);
    for (const cycle of results.cycleRuns) expect(cycle.oktaCalls).toBeGreaterThan(0);
    expect(results.rss.startMb).toBeGreaterThan(0);
    expect(results.rss.endMb).toBeGreaterThan(0);
    expect(results.rss.peakMb).toBeGreaterThanOrEqual(Math.max(results.rss.startMb, results.rss.endMb));
    expect(results.rss.samples.filter((s) => s.iteration !== undefined).map((s) => s.iteration)).toEqual([1, 2]);
    // Faults only add calls (retries); fewer than the minimum would mean part of the org went unread.
    expect(results.oktaCallsPerSync.minimum).toBeGreaterThan(0);
    expect(results.oktaCallsPerSync.stream!.min).toBeGreaterThanOrEqual(results.oktaCallsPerSync.minimum);
    expect(results.oktaCallsPerSync.paged!.min).toBeGreaterThanOrEqual(results.oktaCallsPerSync.minimum);
    expect(run.stdout).toContain(`results     ${out}`);
  }, 90_000);

  it("stops on SIGINT, leaves out the sync it cut short, and still writes the results (exit 0)", async () => {
    const out = join(work, "interrupted.json");
    let signalled = false;
    const run = await soak(["--users", "200", "--duration", "2m", "--out", out], (text, child) => {
      if (!signalled && text.includes("soak: #1 ")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("soak: stopping; writing partial results");
    const results = JSON.parse(readFileSync(out, "utf8")) as SoakResults;
    expect(results).toMatchObject({ stoppedBy: "interrupted", errors: { count: 0 } });
    // The signal lands during iteration 2 at the earliest; a sync it cuts short is left out, never counted as failed.
    expect(results.syncs).toBeGreaterThanOrEqual(1);
    expect(results.syncs).toBeLessThanOrEqual(2);
    expect(results.failedSyncs).toBe(0);
    expect(results.rss.samples.length).toBeGreaterThan(0);
  }, 90_000);

  it.each([
    [["--users", "abc"], "--users"],
    [["--duration", "forever"], "--duration"],
    [["--bogus"], "--bogus"],
  ])("exits 2 naming the flag for %j", async (args, flag) => {
    const run = await soak(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(flag);
    expect(run.stdout).toBe("");
  });
});

describe("countDifferences", () => {
  const reference = [
    { resourceTypeId: "user", resources: 200, entitlements: 0, grants: 0 },
    { resourceTypeId: "group", resources: 31, entitlements: 31, grants: 2400 },
  ];

  it("finds none between equal counts listed in another order", () => {
    expect(countDifferences(reference, [...reference].reverse())).toEqual([]);
  });

  it("names the type, the count and the reference value of each difference", () => {
    const counts = [{ resourceTypeId: "group", resources: 31, entitlements: 31, grants: 2401 }, { resourceTypeId: "app", resources: 15, entitlements: 15, grants: 9 }];
    expect(countDifferences(reference, counts)).toEqual(["user missing", "group grants 2401 (reference 2400)", "app not in the reference"]);
  });
});
