import { randomUUID } from "node:crypto";
import { randomToken } from "../core/okta-ids.js";

/** Who performed a write: the admin behind an API token, an OAuth service app, or the simulator itself. */
export interface LogActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

/** What a write touched (a User, a UserGroup, an AppInstance, a ROLE, …). */
export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry?: Record<string, string>;
}

export interface LogEventRecord {
  /** Write order: 1 for the first event ever recorded. */
  seq: number;
  /** When the write happened; never changed by lag or reordering. */
  published: number;
  /** When the event becomes visible to `GET /api/v1/logs` (Okta's persistence time). */
  visibleAt: number;
  /** Persistence order, given when the event becomes visible (0 until then); the `after` cursor is `<visibleAt>_<position>`. */
  position: number;
  uuid: string;
  eventType: string;
  displayMessage: string;
  severity: "DEBUG" | "INFO" | "WARN" | "ERROR";
  actor: LogActor;
  targets: LogTarget[];
  outcome: { result: string; reason?: string };
  debugData: Record<string, string>;
  transactionId: string;
}

/** What a write reports; the log adds seq, times, uuid and transaction. */
export type LogEventInput = Pick<LogEventRecord, "eventType" | "displayMessage" | "actor" | "targets"> &
  Partial<Pick<LogEventRecord, "severity" | "outcome" | "debugData">>;

/**
 * How events become visible, as Okta's eventual consistency does (events-and-posture.md §4): after a lag,
 * and some of them late enough that events published after them are seen first.
 */
export interface LogVisibility {
  /** Delay from `published` to visible (default 0). */
  lagMs: number;
  /** Share of events in [0, 1] held back a further random delay of up to `reorderDelayMs` (default 0). */
  reorderRate: number;
  /** The longest extra delay of a reordered event (default: twice the lag, at least 1 s). */
  reorderDelayMs: number;
  /** Events published longer ago than this are dropped (Okta: 90 days). */
  retentionMs: number;
}

export const DEFAULT_LOG_RETENTION_MS = 90 * 86_400_000;

/** The System Log: every write the simulator performs appends one or more events. */
export interface SystemLog {
  record(input: LogEventInput): LogEventRecord;
  /** Events visible now, in persistence order (also the order of `position`). */
  events(): readonly LogEventRecord[];
  /** Every event recorded and still retained, visible or not, in write (`seq`, also `published`) order. */
  all(): readonly LogEventRecord[];
  /** Events recorded but not visible yet. */
  pending(): number;
  /** The seq of the newest event, 0 before the first. */
  lastSeq(): number;
  /** The position of the newest visible event, 0 before the first. */
  lastPosition(): number;
  visibility(): LogVisibility;
  /** Changes how events written from now on become visible. */
  setVisibility(change: Partial<LogVisibility>): void;
}

/** The actor of writes made through `FakeOkta.org` by a test, not through the API. */
export const SYSTEM_ACTOR: LogActor = { id: "0oasimulator000000000", type: "PublicClientApp", alternateId: "fake-okta", displayName: "Simulator" };

/** Checks visibility settings; throws an Error naming the bad one. */
export function validateLogVisibility(change: Partial<LogVisibility>): Partial<LogVisibility> {
  const ms = (name: keyof LogVisibility, min: number) => {
    const value = change[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= 10 * 365 * 86_400_000)) throw new Error(`${name} must be a number of milliseconds of at least ${min} (got ${value})`);
  };
  ms("lagMs", 0);
  ms("reorderDelayMs", 1);
  ms("retentionMs", 1);
  if (change.reorderRate !== undefined && !(change.reorderRate >= 0 && change.reorderRate <= 1)) throw new Error(`reorderRate must be between 0 and 1 (got ${change.reorderRate})`);
  return change;
}

/**
 * Creates an empty log that keeps the newest `capacity` events. `random` drives reordering only (its own
 * stream, so lag settings never change the org a seed generates).
 */
export function createSystemLog(options: { now: () => number; random: () => number; capacity?: number; visibility?: Partial<LogVisibility> }): SystemLog {
  const capacity = options.capacity ?? 100_000;
  const settings: LogVisibility = { lagMs: 0, reorderRate: 0, reorderDelayMs: 0, retentionMs: DEFAULT_LOG_RETENTION_MS };
  const configure = (change: Partial<LogVisibility>): void => {
    Object.assign(settings, validateLogVisibility(change));
    if (change.reorderDelayMs === undefined && !explicitDelay) settings.reorderDelayMs = Math.max(1000, 2 * settings.lagMs);
    if (change.reorderDelayMs !== undefined) explicitDelay = true;
  };
  let explicitDelay = false;
  configure(options.visibility ?? {});

  let recorded: LogEventRecord[] = [];
  let visible: LogEventRecord[] = [];
  // Not yet visible, sorted by (visibleAt, seq): the order they will be persisted in.
  const waiting: LogEventRecord[] = [];
  let seq = 0;
  let position = 0;
  let lastPublished = 0;
  let oldestVisible = Infinity;

  const byDue = (a: LogEventRecord, b: LogEventRecord): number => a.visibleAt - b.visibleAt || a.seq - b.seq;
  const enqueue = (event: LogEventRecord): void => {
    let lo = 0;
    let hi = waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byDue(waiting[mid] as LogEventRecord, event) <= 0) lo = mid + 1;
      else hi = mid;
    }
    waiting.splice(lo, 0, event);
  };
  /** Makes due events visible and drops what retention or capacity no longer keeps. */
  const settle = (): void => {
    const now = options.now();
    let due = 0;
    while (due < waiting.length && (waiting[due] as LogEventRecord).visibleAt <= now) due++;
    for (const event of waiting.splice(0, due)) {
      event.position = ++position;
      visible.push(event);
      oldestVisible = Math.min(oldestVisible, event.published);
    }
    const oldest = now - settings.retentionMs;
    let drop = 0;
    while (drop < recorded.length && (recorded[drop] as LogEventRecord).published < oldest) drop++;
    if (recorded.length - drop > capacity * 1.1) drop = recorded.length - capacity;
    if (drop > 0) recorded = recorded.slice(drop);
    // Visible events are in persistence order, where an expired one may follow a kept one: filter them all.
    if (oldestVisible < oldest || visible.length > capacity * 1.1) {
      visible = visible.filter((e) => e.published >= oldest).slice(-capacity);
      oldestVisible = visible.reduce((min, e) => Math.min(min, e.published), Infinity);
    }
  };

  return {
    record(input) {
      // The clock never runs backwards here, so publish order is write order.
      lastPublished = Math.max(lastPublished, options.now());
      const late = settings.reorderRate > 0 && options.random() < settings.reorderRate;
      const extra = late ? 1 + Math.floor(options.random() * settings.reorderDelayMs) : 0;
      const event: LogEventRecord = {
        seq: ++seq,
        published: lastPublished,
        visibleAt: lastPublished + settings.lagMs + extra,
        position: 0,
        uuid: randomUUID(),
        severity: input.severity ?? "INFO",
        outcome: input.outcome ?? { result: "SUCCESS" },
        debugData: input.debugData ?? {},
        transactionId: randomToken(20),
        eventType: input.eventType,
        displayMessage: input.displayMessage,
        actor: input.actor,
        targets: input.targets,
      };
      recorded.push(event);
      enqueue(event);
      settle();
      return event;
    },
    events() {
      settle();
      return visible;
    },
    all() {
      settle();
      return recorded;
    },
    pending() {
      settle();
      return waiting.length;
    },
    lastSeq: () => seq,
    lastPosition() {
      settle();
      return position;
    },
    visibility: () => ({ ...settings }),
    setVisibility: (change) => configure(change),
  };
}
