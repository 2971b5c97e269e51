/**
 * A small seeded PRNG (sfc32) and the helpers the generator needs. Math.random is never used for org data,
 * so the same seed and flags give the same org, byte for byte.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max] (inclusive). */
  range(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; `weights` and `items` have the same length. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** `k` distinct integers from [0, n), ascending (Floyd's algorithm, O(k) memory). */
  sample(n: number, k: number): Uint32Array;
  /** A new independent stream derived from this one. */
  fork(label: string): Prng;
}

/** Creates a PRNG for a numeric seed and a label naming the stream (users, groups, …). */
export function createPrng(seed: number, label = ""): Prng {
  const [a, b, c, d] = hashToState(`${seed}\u0000${label}`);
  return fromState(a, b, c, d);
}

function fromState(a0: number, b0: number, c0: number, d0: number): Prng {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  let d = d0 >>> 0;
  const nextU32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // sfc32 needs a few rounds before its output is well mixed.
  for (let i = 0; i < 12; i++) nextU32();
  const prng: Prng = {
    next: () => nextU32() / 4294967296,
    int: (n) => Math.floor((nextU32() / 4294967296) * n),
    range: (min, max) => min + Math.floor((nextU32() / 4294967296) * (max - min + 1)),
    chance: (p) => nextU32() / 4294967296 < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor((nextU32() / 4294967296) * items.length)] as T;
    },
    weighted<T>(items: readonly T[], weights: readonly number[]): T {
      let total = 0;
      for (const w of weights) total += w;
      let roll = (nextU32() / 4294967296) * total;
      for (let i = 0; i < items.length; i++) {
        roll -= weights[i] ?? 0;
        if (roll < 0) return items[i] as T;
      }
      return items[items.length - 1] as T;
    },
    sample(n, k) {
      const count = Math.min(k, n);
      const chosen = new Set<number>();
      for (let j = n - count; j < n; j++) {
        const t = Math.floor((nextU32() / 4294967296) * (j + 1));
        chosen.add(chosen.has(t) ? j : t);
      }
      return Uint32Array.from(chosen).sort();
    },
    fork: (label) => {
      const [x, y, z, w] = hashToState(`${nextU32()}\u0000${nextU32()}\u0000${label}`);
      return fromState(x, y, z, w);
    },
  };
  return prng;
}

/** cyrb128: a string hash that spreads a seed and label over sfc32's 128-bit state. */
function hashToState(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
