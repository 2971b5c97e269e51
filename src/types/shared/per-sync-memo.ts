import type { SyncCallContext } from "../../protocol/resource-syncer.js";

/** Makes a read at most once per engine sync: `once(ctx, key, read)`. */
export type PerSyncMemo = <T>(ctx: SyncCallContext, key: string, read: () => Promise<T>) => Promise<T>;

/**
 * For reads that several types make in one sync (the resource sets, which both the resource-set and
 * the binding type list). They are keyed by the engine's sync id (ctx.activeSyncId) and by what they
 * read, and only the latest sync id's reads are kept, so a new sync reads Okta afresh. A call naming
 * no sync (the Sync stream, a single lookup) takes a copy made without one within `unnamedMaxAgeMs`,
 * as the admin-role index and the group rules do with theirs over a longer age. A read that fails is
 * forgotten; a caller whose own signal is live reads again itself rather than take another caller's
 * failure (its cancellation, say).
 */
export function createPerSyncMemo(options: { unnamedMaxAgeMs?: number; now?: () => number } = {}): PerSyncMemo {
  const unnamedMaxAgeMs = options.unnamedMaxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  let syncId: string | undefined;
  let since = now();
  let reads = new Map<string, Promise<unknown>>();
  return <T>(ctx: SyncCallContext, key: string, read: () => Promise<T>): Promise<T> => {
    const named = ctx.activeSyncId;
    if (named !== syncId || (named === undefined && now() - since > unnamedMaxAgeMs)) {
      syncId = named;
      since = now();
      reads = new Map();
    }
    const held = reads.get(key) as Promise<T> | undefined;
    if (held !== undefined) return held.catch((error: unknown) => (ctx.signal.aborted ? Promise.reject(error) : read()));
    const pending = read();
    const those = reads;
    those.set(key, pending);
    pending.catch(() => {
      if (those.get(key) === pending) those.delete(key);
    });
    return pending;
  };
}
