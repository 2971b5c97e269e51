/** A cell: numbers are right-aligned and printed with thousands separators. */
export type Cell = string | number;

/**
 * Renders rows as a plain-text table with a header and a rule under it, each line indented by
 * `indent` spaces. Columns are as wide as their widest cell; no trailing spaces.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly Cell[])[], indent = 2): string {
  const text = rows.map((row) => row.map(formatCell));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? "").length)));
  const numeric = header.map((_h, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"));
  const line = (cells: readonly string[]) =>
    " ".repeat(indent) + cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...text.map(line)].join("\n");
}

export function formatCell(cell: Cell): string {
  return typeof cell === "number" ? formatCount(cell) : cell;
}

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** 1234 → "1.2 s"; 75_000 → "1 min 15 s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1_000)} s`;
}
