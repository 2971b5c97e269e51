import { buildCliIfStale } from "./serve-process.js";

/**
 * vitest globalSetup: builds dist/ once per run, before any worker starts, so tests that run the
 * `okta-connector` binary neither race each other to compile nor test a stale build.
 */
export default async function setup(): Promise<void> {
  await buildCliIfStale();
}
