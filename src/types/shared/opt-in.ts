import type { SyncOptions } from "../../config/config.js";
import type { TypeFlag } from "../../config/flags.js";
import type { CoverageGap } from "../../protocol/resource-syncer.js";

/**
 * The gate of a type that exists only with its flag (device with --sync-devices): enabled when the
 * flag is on, and otherwise a `disabled-by-flag` gap naming the flag, so the coverage report says
 * what is left out rather than going quiet.
 */
export function optInGate(flag: TypeFlag, gapDetail: string): {
  isEnabled(options: SyncOptions): boolean;
  configurationGaps(options: SyncOptions): readonly CoverageGap[];
} {
  const name = flag.spec.name;
  const off: readonly CoverageGap[] = [{ scope: "resources", reason: "disabled-by-flag", detail: gapDetail, flag: `--${name}` }];
  return {
    isEnabled: (options) => options.typeFlags.has(name),
    configurationGaps: (options) => (options.typeFlags.has(name) ? [] : off),
  };
}
