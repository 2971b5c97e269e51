import { ConfigError } from "../config/index.js";
import { diffSnapshots, isSnapshotFileError, renderSnapshotDiff } from "../engine/index.js";

/** `diff`'s options as commander hands them over. */
export interface DiffCommandInput {
  readonly json?: boolean;
  readonly limit?: string;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1_000_000;

/**
 * `okta-connector diff A B`: what changed from snapshot A to snapshot B, per resource type, as a table
 * or (--json) as one JSON object. Exits 0 whether or not anything changed; a missing, foreign or
 * damaged file (or a device, directory or FIFO) is a usage error (exit 2) naming the argument, the file
 * and what is wrong with it.
 */
export async function runDiffCommand(pathA: string, pathB: string, input: DiffCommandInput): Promise<void> {
  const limit = input.limit === undefined ? DEFAULT_LIMIT : Number(input.limit);
  if (input.limit !== undefined && (!/^\d+$/.test(input.limit.trim()) || limit > MAX_LIMIT)) {
    throw new ConfigError("limit", `"${input.limit}" is not a whole number from 0 to ${MAX_LIMIT}`);
  }
  let diff;
  try {
    diff = diffSnapshots(pathA, pathB, { limit });
  } catch (error) {
    if (!isSnapshotFileError(error)) throw error;
    throw argumentError(error.path === pathA ? "snapshot A" : "snapshot B", error.message);
  }
  const text = input.json ? JSON.stringify(diff, null, 2) + "\n" : renderSnapshotDiff(diff);
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** A ConfigError (exit 2) for a positional argument, whose message names the argument rather than a flag. */
function argumentError(name: string, problem: string): ConfigError {
  const error = new ConfigError(name, problem);
  error.message = `${name}: ${problem}`;
  return error;
}
