import { randomUUID } from "node:crypto";
import { randomToken } from "../core/okta-ids.js";

/** Who performed a write: the admin behind an API token, an OAuth service app, or the simulator itself. */
export interface LogActor {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

/** What a write touched (a User, a UserGroup, an AppInstance, …). */
export interface LogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
}

export interface LogEventRecord {
  /** Position in the log; the `after` cursor is `<published ms>_<seq>`. */
  seq: number;
  published: number;
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

/** What a write reports; the log adds seq, time, uuid and transaction. */
export type LogEventInput = Pick<LogEventRecord, "eventType" | "displayMessage" | "actor" | "targets"> &
  Partial<Pick<LogEventRecord, "severity" | "outcome" | "debugData">>;

/** The System Log: every write the simulator performs appends one or more events. */
export interface SystemLog {
  record(input: LogEventInput): LogEventRecord;
  /** Events in order of `seq` (which is also `published` order: the clock never runs backwards here). */
  events(): readonly LogEventRecord[];
  /** The seq of the newest event, 0 before the first. */
  lastSeq(): number;
}

/** The actor of writes made through `FakeOkta.org` by a test, not through the API. */
export const SYSTEM_ACTOR: LogActor = { id: "0oasimulator000000000", type: "PublicClientApp", alternateId: "fake-okta", displayName: "Simulator" };

/** Creates an empty log that keeps the newest `capacity` events. */
export function createSystemLog(options: { now: () => number; capacity?: number }): SystemLog {
  const capacity = options.capacity ?? 100_000;
  let events: LogEventRecord[] = [];
  let seq = 0;
  let lastPublished = 0;
  return {
    record(input) {
      // Persistence order and publish order agree in the simulator, so polling never skips an event.
      lastPublished = Math.max(lastPublished, options.now());
      const event: LogEventRecord = {
        seq: ++seq,
        published: lastPublished,
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
      events.push(event);
      if (events.length > capacity * 1.1) events = events.slice(events.length - capacity);
      return event;
    },
    events: () => events,
    lastSeq: () => seq,
  };
}
