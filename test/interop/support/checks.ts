/**
 * The interop runner's one output contract: every check prints `ok <name>` or `FAIL <name>: reason`,
 * notes print as `# …`, and the run ends with `N passed, N failed` (which CI counts).
 */
export interface CheckRecorder {
  /** Runs `body`; a thrown error (or a rejected promise) is the failure reason. Returns whether it passed. */
  check(name: string, body: () => void | Promise<void>): Promise<boolean>;
  /** Records a failure without running anything, e.g. when a prerequisite already failed. */
  fail(name: string, reason: string): void;
  note(text: string): void;
  /** Adds another recorder's tally (one that ran alongside, its lines printed separately). */
  absorb(other: CheckRecorder): void;
  readonly passed: number;
  readonly failed: number;
  /** Prints the final tally line. */
  summary(): string;
}

export function createCheckRecorder(write: (line: string) => void = (line) => console.log(line)): CheckRecorder {
  let passed = 0;
  let failed = 0;
  const fail = (name: string, reason: string): void => {
    failed++;
    write(`FAIL ${name}: ${oneLine(reason)}`);
  };
  return {
    async check(name, body) {
      try {
        await body();
        passed++;
        write(`ok ${name}`);
        return true;
      } catch (error) {
        fail(name, error instanceof Error ? error.message : String(error));
        return false;
      }
    },
    fail,
    note(text) {
      for (const line of text.split("\n")) write(`# ${line}`);
    },
    absorb(other) {
      passed += other.passed;
      failed += other.failed;
    },
    get passed() {
      return passed;
    },
    get failed() {
      return failed;
    },
    summary() {
      return `${passed} passed, ${failed} failed`;
    },
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 600 ? `${flat.slice(0, 600)}…` : flat;
}

/** Throws with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Throws naming both values unless they are equal (numbers, strings, booleans). */
export function assertEqual<T extends string | number | boolean | null | undefined>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, want ${String(expected)}`);
}

/** Throws listing a few members of each side's surplus unless the two sets hold the same strings. */
export function assertSameSet(actual: Iterable<string>, expected: Iterable<string>, what: string): void {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = [...e].filter((x) => !a.has(x));
  const extra = [...a].filter((x) => !e.has(x));
  if (missing.length === 0 && extra.length === 0) return;
  const sample = (xs: string[]) => xs.slice(0, 3).join(", ") + (xs.length > 3 ? ", …" : "");
  throw new Error(`${what}: ${a.size} found, ${e.size} expected; ${missing.length} missing (${sample(missing)}); ${extra.length} unexpected (${sample(extra)})`);
}
