import { accessSync, constants, lstatSync, readlinkSync, type Stats, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Checks of a snapshot's path, made before SQLite opens it. SQLite opens whatever it is given: on
 * `/dev/null` it writes `/dev/null-journal` and fails later with "disk I/O error"; on a FIFO it blocks;
 * under a missing, foreign or read-only directory it says only "unable to open database file". So the
 * engine looks first, and says what the path is and what to do.
 */

/** What the snapshot at a path is for: a new sync (which may replace a snapshot), a resumed one, or a diff. */
export type SnapshotPathPurpose = "sync" | "resume" | "read";

/** Why a path cannot hold a snapshot, and what to do about it. */
export interface SnapshotPathProblem {
  readonly problem: string;
  readonly fix: string;
}

/**
 * The problem with `path` for `purpose`, or undefined when SQLite may open it. A missing file is not a
 * problem here (a sync creates it; `resume` and `read` report it themselves). For writing, the
 * directory must exist (it is never created: a mistyped directory should not silently receive a
 * snapshot) and be writable, since SQLite creates the -wal and -shm files beside the snapshot.
 */
export function snapshotPathProblem(path: string, purpose: SnapshotPathPurpose): SnapshotPathProblem | undefined {
  const writing = purpose !== "read";
  if (writing && /[\\/]$/.test(path)) {
    return { problem: `"${path}" ends with "/", so it names a directory, not a file`, fix: `give a file path, e.g. ${path}okta.db` };
  }
  const target = resolve(path);
  const entry = statOf(target);
  // ENOTDIR: a component above is not a directory; directoryProblem names it.
  if (entry.kind === "error" && entry.code !== "ENOTDIR") return { problem: `${target} cannot be examined (${entry.code})`, fix: "check the path and its permissions" };
  if (entry.kind === "present") {
    if (!entry.stats.isFile()) {
      const fix = !writing
        ? "give a snapshot file written by okta-connector sync"
        : entry.stats.isDirectory()
          ? `give a file path in it, e.g. ${join(target, "okta.db")}`
          : "give the path of a snapshot file to write, e.g. ./okta.db";
      return { problem: `${target} is ${describeKind(entry.stats)}, not a regular file`, fix };
    }
    const denied = accessDenied(target, writing ? constants.R_OK | constants.W_OK : constants.R_OK);
    if (denied) return { problem: `${target} is not ${writing ? "readable and writable" : "readable"} by this user (${denied})`, fix: "change its permissions, or choose another path" };
    return sidecarProblem(target) ?? (writing ? directoryProblem(target, purpose) : undefined);
  }
  const link = danglingLinkTarget(target);
  if (link !== undefined) return { problem: `${target} is a symbolic link to ${link}, which does not exist`, fix: "give the path of the file itself" };
  return writing ? (sidecarProblem(target) ?? directoryProblem(target, purpose)) : undefined;
}

/** SQLite keeps its write-ahead log, shared-memory index and rollback journal beside the database, under these names. */
const SIDECAR_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/** A directory (or device, …) where SQLite must keep a sidecar file: it would fail with "disk I/O error" or "unable to open database file". */
function sidecarProblem(target: string): SnapshotPathProblem | undefined {
  for (const suffix of SIDECAR_SUFFIXES) {
    const entry = statOf(target + suffix);
    if (entry.kind === "present" && !entry.stats.isFile()) {
      return { problem: `${target}${suffix} is ${describeKind(entry.stats)}, where SQLite keeps the snapshot's ${suffix.slice(1)} file`, fix: "move it away, or choose another path" };
    }
  }
  return undefined;
}

/** The problem with the directory a snapshot is written in: every ancestor must be a directory, the parent must exist and be writable. */
function directoryProblem(target: string, purpose: SnapshotPathPurpose): SnapshotPathProblem | undefined {
  const parent = dirname(target);
  let ancestor = parent;
  let entry = statOf(ancestor);
  // ENOTDIR means a component above is not a directory: keep climbing to name it.
  while ((entry.kind === "missing" || (entry.kind === "error" && entry.code === "ENOTDIR")) && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    entry = statOf(ancestor);
  }
  if (entry.kind === "error") return { problem: `${ancestor} cannot be examined (${entry.code})`, fix: "check the path and its permissions" };
  if (entry.kind === "present" && !entry.stats.isDirectory()) {
    return { problem: `${ancestor} is ${describeKind(entry.stats)}, not a directory, so ${target} cannot be created`, fix: "choose a path in an existing directory" };
  }
  if (ancestor !== parent) {
    return {
      problem: `directory ${parent} does not exist`,
      fix: purpose === "resume" ? "check the path: --resume continues a snapshot that exists" : `create it first (mkdir -p ${parent}), or choose another path`,
    };
  }
  const denied = accessDenied(parent, constants.W_OK | constants.X_OK);
  if (denied) {
    return {
      problem: `directory ${parent} is not writable by this user (${denied}), and SQLite writes ${basename(target)}-wal and ${basename(target)}-shm there`,
      fix: "choose a directory you can write to",
    };
  }
  return undefined;
}

type StatResult = { kind: "present"; stats: Stats } | { kind: "missing" } | { kind: "error"; code: string };

function statOf(path: string): StatResult {
  try {
    return { kind: "present", stats: statSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return code === "ENOENT" ? { kind: "missing" } : { kind: "error", code };
  }
}

/** "a directory", "a character device", …: what a non-regular file is, in words. */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return "a file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function accessDenied(path: string, mode: number): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "denied";
  }
}

function danglingLinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}
