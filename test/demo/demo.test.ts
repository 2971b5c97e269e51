import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildCliIfStale } from "../support/serve-process.js";

/** The README's main job: the demo runs end to end, prints its summary and leaves the snapshot. */
const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "okta-connector-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runDemo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", ...args], { cwd: root, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("npm run demo", () => {
  it("syncs the simulated org, prints the summary, and shows a grant and a revoke round trip", async () => {
    await buildCliIfStale();
    const out = join(dir, "demo.sqlite");
    const result = await runDemo(["--users", "200", "--provisioning", "--out", out]);
    expect(result.stderr).toContain("demo: done");
    expect(result.code).toBe(0);
    // The summary table, once per sync (three syncs: before, after the grant, after the revoke).
    expect(result.stdout.match(/resource type\s+resources\s+entitlements\s+grants/g)?.length).toBeGreaterThanOrEqual(3);
    expect(result.stdout).toMatch(/Okta calls\s+\d+/);
    expect(result.stdout).toContain("Coverage:");
    // The diffs: exactly one grant added, then exactly one removed.
    expect(result.stdout).toMatch(/total\s+\+0 -0 ~1\s+\+0 -0 ~0\s+\+1 -0 ~0/);
    expect(result.stdout).toMatch(/total\s+\+0 -0 ~1\s+\+0 -0 ~0\s+\+0 -1 ~0/);
    expect(statSync(out).size).toBeGreaterThan(0);
  }, 300_000);

  it("--watch: changes made in the org arrive live, and the watched snapshot ends equal to a fresh sync", async () => {
    await buildCliIfStale();
    const out = join(dir, "watched.sqlite");
    const result = await runDemo(["--users", "100", "--watch", "--watch-for", "10s", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    // One line per change as it is applied: time, what Okta logged, what was re-read, what it cost.
    expect(result.stdout).toMatch(/^\d{2}:\d{2}:\d{2} [a-z_.]+.*: .*\(resources \+\d+ −\d+, entitlements \+\d+ −\d+, grants \+\d+ −\d+\), \d+ Okta calls?$/m);
    expect(result.stderr).toMatch(/watch stopped: the --for duration passed/);
    expect(result.stdout).toContain("No changes: both snapshots hold the same resource types, resources, entitlements and grants.");
  }, 300_000);

  it("refuses a bad flag with a message naming it", async () => {
    const result = await runDemo(["--users", "5"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--users:");
  });
});
