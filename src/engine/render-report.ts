import type { SyncReport } from "./sync-report.js";
import { formatCount, formatDuration, renderTable } from "./text-table.js";

/**
 * The summary `okta-connector sync` prints on stdout: items per resource type, Okta calls and 429s,
 * duration, and the coverage report (each gap with its type, scope, reason, detail, and the Okta
 * role or connector flag that would close it).
 */
export function renderSyncReport(report: SyncReport): string {
  const lines: string[] = [];
  const run = `run ${report.runId}, ${report.mode === "stream" ? "Sync stream" : "paged RPCs"}${report.syncId ? `, sync ${report.syncId}` : ""}`;
  lines.push(`Snapshot ${report.snapshot} (${run})`, "");
  const rows = report.counts.map((c) => [c.resourceTypeId, c.resources, c.entitlements, c.grants]);
  rows.push(["total", report.totals.resources, report.totals.entitlements, report.totals.grants]);
  lines.push(renderTable(["resource type", "resources", "entitlements", "grants"], rows), "");

  const facts: [string, string][] = [];
  if (report.oktaCalls !== undefined) facts.push(["Okta calls", `${formatCount(report.oktaCalls)} (${formatCount(report.oktaRateLimited ?? 0)} answered 429)`]);
  if (report.rpcCalls !== undefined) facts.push(["gRPC calls", formatCount(report.rpcCalls)]);
  facts.push(["Duration", formatDuration(report.durationMs)]);
  facts.push(["Batches", `${formatCount(report.batches)}${report.retries > 0 ? ` (stream resumed ${report.retries} time${report.retries === 1 ? "" : "s"})` : ""}`]);
  const { stored, totals } = report;
  if (stored.resources !== totals.resources || stored.entitlements !== totals.entitlements || stored.grants !== totals.grants) {
    facts.push(["WARNING", `the snapshot holds ${formatCount(stored.resources)} resources, ${formatCount(stored.entitlements)} entitlements and ${formatCount(stored.grants)} grants, not the counts above`]);
  }
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [key, value] of facts) lines.push(`${key.padEnd(width)}  ${value}`);
  lines.push("");

  const coverage = report.coverage;
  if (coverage === undefined) {
    lines.push("Coverage: not reported (the paged RPCs have no coverage report; the Sync stream does)");
  } else if (coverage.gaps.length === 0) {
    lines.push("Coverage: complete, nothing was skipped");
  } else {
    lines.push(`Coverage: ${coverage.complete ? "complete for this configuration" : "INCOMPLETE"}, ${coverage.gaps.length} gap${coverage.gaps.length === 1 ? "" : "s"}`);
    lines.push(
      renderTable(
        ["resource type", "scope", "reason", "needs", "detail"],
        coverage.gaps.map((g) => [g.resourceTypeId, g.scope, g.reason, g.missingOktaRole ? `Okta role ${g.missingOktaRole}` : g.flag ? `flag ${g.flag}` : "", g.detail]),
      ),
    );
  }
  return lines.join("\n") + "\n";
}
