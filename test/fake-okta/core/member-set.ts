/**
 * A sorted set of small non-negative integers (user indexes) in a growable Uint32Array. One million group
 * memberships take 4 MB this way instead of a million boxed entries; membership tests and cursor seeks are
 * binary searches.
 */
export interface MemberSet {
  readonly size: number;
  has(value: number): boolean;
  /** Adds `value`; false when it was already present. */
  add(value: number): boolean;
  /** Removes `value`; false when it was absent. */
  delete(value: number): boolean;
  /** Index of the first element greater than `value` (a cursor seek). */
  indexAfter(value: number): number;
  at(position: number): number;
  values(): IterableIterator<number>;
}

/** Wraps `sorted` (ascending, no duplicates; taken over, not copied). */
export function createMemberSet(sorted: Uint32Array = new Uint32Array(0)): MemberSet {
  let data = sorted;
  let size = sorted.length;

  const lowerBound = (value: number): number => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((data[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    get size() {
      return size;
    },
    has(value) {
      const i = lowerBound(value);
      return i < size && data[i] === value;
    },
    add(value) {
      const i = lowerBound(value);
      if (i < size && data[i] === value) return false;
      if (size === data.length) {
        const grown = new Uint32Array(Math.max(8, data.length * 2));
        grown.set(data.subarray(0, size));
        data = grown;
      }
      data.copyWithin(i + 1, i, size);
      data[i] = value;
      size++;
      return true;
    },
    delete(value) {
      const i = lowerBound(value);
      if (i >= size || data[i] !== value) return false;
      data.copyWithin(i, i + 1, size);
      size--;
      return true;
    },
    indexAfter(value) {
      const i = lowerBound(value);
      return i < size && data[i] === value ? i + 1 : i;
    },
    at(position) {
      return data[position] as number;
    },
    *values() {
      for (let i = 0; i < size; i++) yield data[i] as number;
    },
  };
}
