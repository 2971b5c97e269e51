import type { Page, PageOptions } from "../../../src/okta/index.js";

/** Follows `after` to the end of a listing, as a syncer does across page tokens. */
export async function pageAll<T>(list: (options: PageOptions) => Promise<Page<T>>, options: PageOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let after = options.after;
  do {
    const page = await list({ ...options, after });
    items.push(...page.items);
    after = page.after;
  } while (after !== undefined);
  return items;
}

/** Our bucket names → the simulator's (test/fake-okta/http/rate-limits.ts). */
export const SIMULATOR_BUCKET: Record<string, string> = {
  "/api/v1/users": "users",
  "GET /api/v1/users/{id}": "user-get",
  "POST/PUT/DELETE /api/v1/users/{id}": "user-write",
  "/api/v1/groups": "groups",
  "/api/v1/groups/{id}": "group-id",
  "/api/v1/apps": "apps",
  "/api/v1/apps/{id}": "app-id",
  "/api/v1/logs": "logs",
  "/oauth2/v1/token": "token",
  "/api/v1": "other",
};

/** Renames a byBucket record into the simulator's bucket names. */
export function inSimulatorBuckets(byBucket: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(byBucket).map(([bucket, calls]) => [SIMULATOR_BUCKET[bucket] ?? bucket, calls]));
}
