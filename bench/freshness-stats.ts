/**
 * The arithmetic of the Watch freshness bench (bench/freshness.ts), kept pure so it can be tested:
 * when each System Log entry's change was fully applied to the snapshot, how long after its write, and
 * the percentiles of those delays.
 */

/** One WatchChange as the watcher applied it. */
export interface AppliedMessage {
  /** Epoch ms when onChange ran, i.e. after the message was stored in the snapshot. */
  readonly atMs: number;
  /** The uuids of its log_entries (empty for a sweep and for every message of a page but the first). */
  readonly uuids: readonly string[];
  readonly reason: string;
}

/** When an entry's change reached the snapshot: its page's first message, and its page's last one. */
export interface EntryApplied {
  readonly firstMs: number;
  readonly appliedMs: number;
}

/**
 * Watch sends one page of log entries as one or more messages: the first carries every entry of the page,
 * the rest (its state read on, past 1 MiB a message) carry none and repeat the page's reason. A timed
 * re-read (a sweep) carries no entries and has a reason of its own. Returns, per message, the index of the
 * first message of its page, or -1 for a sweep.
 */
export function pageStartsOf(messages: readonly AppliedMessage[]): number[] {
  let start = -1;
  return messages.map((m, i) => {
    if (m.uuids.length > 0) start = i;
    else if (start < 0 || m.reason !== messages[start]!.reason) start = -1;
    return start;
  });
}

/** Messages that are timed re-reads, not the state of log entries. */
export function isSweepOf(messages: readonly AppliedMessage[]): boolean[] {
  return pageStartsOf(messages).map((start) => start < 0);
}

/**
 * When each entry's change was complete in the snapshot: once the last message of its page was applied
 * (see {@link pageStartsOf}).
 */
export function appliedTimesOf(messages: readonly AppliedMessage[]): Map<string, EntryApplied> {
  const starts = pageStartsOf(messages);
  const lastOfPage = new Map<number, number>();
  starts.forEach((start, i) => {
    if (start >= 0) lastOfPage.set(start, i);
  });
  const applied = new Map<string, EntryApplied>();
  for (const [start, last] of lastOfPage) {
    for (const uuid of messages[start]!.uuids) {
      // A resumed stream may send a page again; the first delivery is the one that made the snapshot fresh.
      if (!applied.has(uuid)) applied.set(uuid, { firstMs: messages[start]!.atMs, appliedMs: messages[last]!.atMs });
    }
  }
  return applied;
}

/** A change made to the org during the run, with its System Log events. */
export interface WrittenChange {
  readonly kind: string;
  readonly events: readonly { readonly uuid: string; readonly eventType: string; readonly published: number }[];
}

export interface ChangeFreshness {
  readonly kind: string;
  /** "measured": every event Watch reads was applied; "unseen": one or more never were; "unread": none of its event types is read. */
  readonly outcome: "measured" | "unseen" | "unread";
  /** When it was written (its first event's published time). */
  readonly writtenMs?: number;
  /** From the write (its first event's published time) to its last read event's page being applied. */
  readonly freshnessMs?: number;
  /** The same, to the first message of that page (what a client sees first). */
  readonly firstMessageMs?: number;
}

/**
 * Each change's freshness. Only events whose type the connector asks the System Log for (`isRead`) can
 * reach Watch; a change none of whose events is read is "unread" (nothing of it is in the snapshot's
 * scope), not missed.
 */
export function freshnessOf(changes: readonly WrittenChange[], applied: ReadonlyMap<string, EntryApplied>, isRead: (eventType: string) => boolean): ChangeFreshness[] {
  return changes.map((change) => {
    const read = change.events.filter((e) => isRead(e.eventType));
    if (read.length === 0) return { kind: change.kind, outcome: "unread" };
    const times = read.map((e) => applied.get(e.uuid));
    if (times.some((t) => t === undefined)) return { kind: change.kind, outcome: "unseen" };
    const written = Math.min(...change.events.map((e) => e.published));
    return {
      kind: change.kind,
      outcome: "measured",
      writtenMs: written,
      freshnessMs: Math.max(...times.map((t) => t!.appliedMs)) - written,
      firstMessageMs: Math.max(...times.map((t) => t!.firstMs)) - written,
    };
  });
}

/** The nearest-rank percentile (`p` in (0, 100]) of `values`; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100] (got ${p})`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** The event types in a System Log request's `filter` (`eventType eq "x" or eventType eq "y"`). */
export function eventTypesOfLogFilter(pathWithQuery: string): string[] {
  const filter = new URL(pathWithQuery, "http://localhost").searchParams.get("filter") ?? "";
  return [...filter.matchAll(/eventType eq "([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Freshness over the run: the changes written in each `sliceMs` from `startMs`, with the median and the
 * largest delay of each slice. A watcher that keeps up has flat slices; one that falls behind has rising ones.
 */
export function slicesOf(changes: readonly ChangeFreshness[], startMs: number, sliceMs: number): { fromSecond: number; changes: number; p50Ms: number; maxMs: number }[] {
  const slices = new Map<number, number[]>();
  for (const c of changes) {
    if (c.outcome !== "measured") continue;
    const slice = Math.max(0, Math.floor((c.writtenMs! - startMs) / sliceMs));
    slices.set(slice, [...(slices.get(slice) ?? []), c.freshnessMs!]);
  }
  return [...slices]
    .sort(([a], [b]) => a - b)
    .map(([slice, times]) => ({ fromSecond: (slice * sliceMs) / 1000, changes: times.length, p50Ms: percentile(times, 50)!, maxMs: Math.max(...times) }));
}
