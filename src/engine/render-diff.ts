import type { ChangedIds, SnapshotDiff, SnapshotSide } from "./diff.js";
import { formatCount, renderTable } from "./text-table.js";

/**
 * `okta-connector diff` as text: one row per resource type with added/removed/changed resources,
 * entitlements and grants, then the ids themselves (as many as the diff holds), then a warning when
 * either side comes from a sync that did not complete.
 */
export function renderSnapshotDiff(diff: SnapshotDiff): string {
  const lines = [`A: ${sideLabel(diff.a)}`, `B: ${sideLabel(diff.b)}`, ""];
  if (diff.identical) {
    lines.push("No changes: both snapshots hold the same resource types, resources, entitlements and grants.");
  } else {
    const cell = (c: { added: number; removed: number; changed: number }) => `+${formatCount(c.added)} -${formatCount(c.removed)} ~${formatCount(c.changed)}`;
    const rows = diff.types.map((t) => [t.resourceTypeId, cell(t.resources), cell(t.entitlements), cell(t.grants)]);
    rows.push(["total", cell(diff.totals.resources), cell(diff.totals.entitlements), cell(diff.totals.grants)]);
    lines.push("Changes from A to B (+ added, - removed, ~ same id with different content):", "");
    lines.push(renderTable(["resource type", "resources", "entitlements", "grants"], rows), "");
    listIds(lines, "resource types", diff.resourceTypes, diff.resourceTypes.added.length + diff.resourceTypes.removed.length + diff.resourceTypes.changed.length);
    for (const kind of ["resources", "entitlements", "grants"] as const) {
      const t = diff.totals[kind];
      listIds(lines, kind, diff.ids[kind], t.added + t.removed + t.changed);
    }
  }
  for (const [name, side] of [["A", diff.a], ["B", diff.b]] as const) {
    if (side.status !== "complete") lines.push("", `WARNING: ${name}'s last sync is ${side.status === "empty" ? "missing" : side.status}: the diff compares a partial snapshot`);
  }
  return lines.join("\n").trimEnd() + "\n";
}

function sideLabel(side: SnapshotSide): string {
  return `${side.path} (${side.status}${side.finishedAt ? `, ${side.finishedAt}` : ""})`;
}

function listIds(lines: string[], kind: string, ids: ChangedIds, total: number): void {
  if (total === 0) return;
  const shown = ids.added.length + ids.removed.length + ids.changed.length;
  lines.push(`${kind}${shown < total ? ` (first ${formatCount(shown)} of ${formatCount(total)}; raise --limit for more)` : ""}:`);
  for (const id of ids.added) lines.push(`  + ${id}`);
  for (const id of ids.removed) lines.push(`  - ${id}`);
  for (const id of ids.changed) lines.push(`  ~ ${id}`);
}
