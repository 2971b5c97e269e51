import type { AdminLevel } from "../permissions.js";

/** One answered API request. */
export interface RequestLogEntry {
  method: string;
  /** Path with query, as received. */
  path: string;
  /** 0 when a fault reset the connection. */
  status: number;
  bucket: string;
  /** The credential's admin level; null when unauthenticated. */
  level: AdminLevel | null;
}

/** A bounded ring of the latest requests. */
export interface RequestLog {
  push(entry: RequestLogEntry): void;
  /** Oldest first. */
  entries(): RequestLogEntry[];
  clear(): void;
}

/** Creates a ring that keeps the newest `capacity` entries (100,000 by default). */
export function createRequestLog(capacity = 100_000): RequestLog {
  const ring: (RequestLogEntry | undefined)[] = new Array(capacity);
  let next = 0;
  let count = 0;
  return {
    push(entry) {
      ring[next] = entry;
      next = (next + 1) % capacity;
      count = Math.min(count + 1, capacity);
    },
    entries() {
      const out: RequestLogEntry[] = [];
      const start = (next - count + capacity) % capacity;
      for (let i = 0; i < count; i++) {
        const entry = ring[(start + i) % capacity];
        if (entry) out.push(entry);
      }
      return out;
    },
    clear() {
      ring.fill(undefined);
      next = 0;
      count = 0;
    },
  };
}
