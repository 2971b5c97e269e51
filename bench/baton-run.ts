/**
 * The bench's `baton` mode: the same connector synced by baton-sdk v0.25.0's own syncer, through the
 * interop harness's batonsync (test/interop/cmd/batonsync, a plain sync: no -provision, -events or
 * -targeted). It drives the paged RPCs in baton-sdk's own order, which our engine's --paged only imitates.
 */
import { existsSync } from "node:fs";
import { BATONSYNC, type HarnessSummary } from "../test/interop/support/harness.js";

export { BATONSYNC };

/** What the bench records of a batonsync run besides the figures every mode has. */
export interface BatonFigures {
  /** The engine's own Sync() and Close() (which packs the c1z), in seconds. */
  readonly syncSeconds: number;
  readonly closeSeconds: number;
  /** RPCs the engine sent, by method (`ListGrants`, …), and their total. */
  readonly rpcs: Record<string, number>;
  readonly rpcTotal: number;
  /** Grants the engine derived by expansion; the run's `grants` are those the connector sent. */
  readonly expandedGrants: number;
  readonly c1zBytes: number;
}

/**
 * The modes that can run: without the batonsync binary the `baton` mode is dropped, with one line saying
 * how to build it, so a bench on a machine without Go still measures the rest.
 */
export function runnableModes<M extends string>(modes: readonly M[], warn: (line: string) => void): M[] {
  if (!modes.includes("baton" as M) || existsSync(BATONSYNC)) return [...modes];
  warn(`skipping the baton mode: ${BATONSYNC} is missing; build it with test/interop/setup.sh (needs Go)`);
  return modes.filter((m) => m !== "baton");
}

/** batonsync's arguments for one full sync of the connector at `address` into a fresh c1z at `out`. */
export function batonsyncArgs(address: string, out: string): string[] {
  return ["-addr", address, "-out", out, "-engine", "sqlite"];
}

/** Reads batonsync's JSON summary: the counts every mode reports, and the baton figures. */
export function readBatonSummary(stdout: string): { counts: { resources: number; entitlements: number; grants: number }; baton: BatonFigures } {
  const summary = JSON.parse(stdout) as HarnessSummary;
  const contents = summary.contents;
  if (contents === undefined) throw new Error(`batonsync reported no contents${summary.error ? `: ${summary.error}` : ""}`);
  const rpcs = Object.fromEntries(Object.entries(summary.calls.byMethod).map(([method, n]) => [method.slice(method.lastIndexOf("/") + 1), n]));
  return {
    counts: { resources: contents.resourceTotal, entitlements: contents.entitlementTotal, grants: contents.grants.total - contents.grants.expanded },
    baton: {
      syncSeconds: Math.round(summary.sync.seconds * 100) / 100,
      closeSeconds: Math.round(summary.sync.closeSeconds * 100) / 100,
      rpcs,
      rpcTotal: summary.calls.total,
      expandedGrants: contents.grants.expanded,
      c1zBytes: summary.c1zBytes,
    },
  };
}
