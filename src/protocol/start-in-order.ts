/**
 * Starts `read` over `items` with at most `limit` in flight, and returns their results in the items'
 * order. A failure is kept in its promise (the caller meets it in order); later reads still start.
 */
export function startInOrder<T, R>(items: readonly T[], limit: number, read: (item: T) => Promise<R>): Promise<R>[] {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A slot is taken when asked for, so the first `limit` items start at once and the rest in order.
  const acquire = (): Promise<void> => {
    if (running < limit) {
      running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => waiting.push(() => (running++, resolve())));
  };
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return items.map((item) => {
    const result = acquire().then(async () => {
      try {
        return await read(item);
      } finally {
        release();
      }
    });
    // Awaited in order by the caller; a failure before that must not be an unhandled rejection.
    result.catch(() => undefined);
    return result;
  });
}
