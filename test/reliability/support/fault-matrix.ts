import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeOkta, FaultSettings } from "../../fake-okta/index.js";
import { REPO_ROOT } from "../../support/serve-process.js";

/**
 * The fault matrix of docs/reliability.md, as data the tests run. Each row is a fault the simulator
 * injects, how it is switched on and off, and the outcome the tests assert for a streamed sync, a
 * paged sync and provisioning:
 * - `absorbed`: the connector's own retries hide the fault; the sync completes equal to a clean run
 *   and the engine never sees UNAVAILABLE;
 * - `absorbed or resumed`: as `absorbed`, except that an unlucky run of failures may exhaust the
 *   connector's retries on one call, which the engine sees as UNAVAILABLE and resumes from its
 *   cursor (or, paged, the same page token); the result still equals the clean run;
 * - `resumed`: the engine does see UNAVAILABLE, with a message naming the cause, resumes, and the
 *   result equals the clean run;
 * - `unaffected`: the fault touches only writes, and a sync sends none;
 * - `one effect`: each grant and revoke ends with exactly one change in Okta, and none is partial;
 * - `one effect, answered as done`: as `one effect`, and each call answers (and audits) what it did
 *   itself, never "already" for a change its own lost-reply write made (see {@link LOST_REPLY_CALLS}).
 */
export type SyncOutcome = "absorbed" | "absorbed or resumed" | "resumed" | "unaffected";
export type ProvisioningOutcome = "one effect" | "one effect, answered as done";

export interface FaultRow {
  /** The row's name in docs/reliability.md, word for word. */
  readonly name: string;
  /** The simulator setting, as docs/reliability.md states it. */
  readonly setting: string;
  readonly stream: SyncOutcome;
  readonly paged: SyncOutcome;
  readonly provisioning: ProvisioningOutcome;
  /** Switches the fault on. */
  apply(fake: FakeOkta): void;
}

const faults = (change: Partial<FaultSettings>) => (fake: FakeOkta) => fake.setFaults(change);

/** The steady faults: on for a whole sync. (The 429 burst, the outage and the 60 s pause have their own tests.) */
export const STEADY_FAULTS: readonly FaultRow[] = [
  { name: "latency with jitter", setting: "latencyMs 10, jitterMs 90", stream: "absorbed", paged: "absorbed", provisioning: "one effect", apply: faults({ latencyMs: 10, jitterMs: 90 }) },
  { name: "5% 500/502/503", setting: "errorRate 0.05", stream: "absorbed", paged: "absorbed", provisioning: "one effect", apply: faults({ errorRate: 0.05 }) },
  { name: "connection resets", setting: "resetRate 0.05", stream: "absorbed", paged: "absorbed", provisioning: "one effect", apply: faults({ resetRate: 0.05 }) },
  { name: "malformed JSON bodies", setting: "malformedRate 0.05", stream: "absorbed", paged: "absorbed", provisioning: "one effect", apply: faults({ malformedRate: 0.05 }) },
  { name: "429 storm", setting: "stormRate 0.25", stream: "absorbed or resumed", paged: "absorbed or resumed", provisioning: "one effect", apply: faults({ stormRate: 0.25 }) },
  {
    name: "concurrency limit",
    setting: "concurrencyLimit 1, latencyMs 20",
    stream: "absorbed or resumed",
    paged: "absorbed or resumed",
    provisioning: "one effect",
    apply: (fake) => {
      fake.setConcurrencyLimit(1);
      fake.setFaults({ latencyMs: 20 });
    },
  },
  { name: "search lag", setting: "searchLagMs 10000", stream: "absorbed", paged: "absorbed", provisioning: "one effect", apply: faults({ searchLagMs: 10_000 }) },
];

/** The faults with their own tests, listed so the docs check covers them too. */
export const EPISODE_FAULTS: readonly Omit<FaultRow, "apply">[] = [
  { name: "429 burst longer than the connector's retries", setting: "stormRate 1 for 15 s", stream: "resumed", paged: "absorbed or resumed", provisioning: "one effect" },
  { name: "Okta down until the engine gives up", setting: "errorRate 1, --max-retries 0", stream: "resumed", paged: "resumed", provisioning: "one effect" },
  { name: "60-second pause", setting: "paused for 60 s", stream: "absorbed or resumed", paged: "absorbed or resumed", provisioning: "one effect" },
  { name: "reply lost after the write", setting: "lostReplyRate 0.3; loseNextReplies 1", stream: "unaffected", paged: "unaffected", provisioning: "one effect, answered as done" },
];

/**
 * Each provisioning call when Okta applies its write and the reply is lost (502 or reset), as the
 * "Reply lost after the write" table of docs/reliability.md states it and
 * test/provisioning/lost-replies.test.ts asserts it: the answer the caller gets and the audit outcome.
 */
export interface LostReplyRow {
  readonly call: string;
  /** The Okta write whose reply is lost. */
  readonly write: string;
  readonly answer: string;
  readonly audit: string;
}

export const LOST_REPLY_CALLS: readonly LostReplyRow[] = [
  { call: "Grant: group membership", write: "PUT /groups/{id}/users/{user}", answer: "granted (no GrantAlreadyExists)", audit: "granted" },
  { call: "Grant: app access, user", write: "POST /apps/{id}/users", answer: "granted (no GrantAlreadyExists)", audit: "granted" },
  { call: "Grant: app access, group", write: "PUT /apps/{id}/groups/{group}", answer: "granted (no GrantAlreadyExists)", audit: "granted" },
  { call: "Grant: standard role", write: "POST /users/{id}/roles", answer: "granted (no GrantAlreadyExists)", audit: "granted" },
  { call: "Grant: custom role on a resource set", write: "POST /users/{id}/roles (CUSTOM)", answer: "granted (no GrantAlreadyExists)", audit: "granted" },
  { call: "Revoke: each of the five above", write: "the matching DELETE", answer: "revoked (no GrantAlreadyRevoked)", audit: "revoked" },
  { call: "CreateAccount, random password", write: "POST /users (and the activation)", answer: "success, with the password Okta holds", audit: "created" },
  { call: "enable_user", write: "POST /users/{id}/lifecycle/activate or unsuspend", answer: "COMPLETE, changed: true", audit: "activated / unsuspended" },
  { call: "disable_user", write: "POST /users/{id}/lifecycle/suspend", answer: "COMPLETE, changed: true", audit: "suspended" },
  { call: "DeleteResource (user)", write: "POST …/lifecycle/deactivate and DELETE /users/{id}", answer: "deleted (no ResourceDoesNotExist)", audit: "deleted" },
];

/** Everything back to normal. */
export function clearFaults(fake: FakeOkta): void {
  fake.setFaults({ latencyMs: 0, jitterMs: 0, errorRate: 0, resetRate: 0, malformedRate: 0, stormRate: 0, lostReplyRate: 0, loseNextReplies: 0, searchLagMs: 0, paused: false, buckets: [] });
  fake.setConcurrencyLimit(75);
}

/** The matrix rows of docs/reliability.md: `| name | setting | stream | paged | provisioning |`. */
export function documentedMatrix(): Map<string, string[]> {
  return documentedTable("Fault", 5);
}

/** The rows of docs/reliability.md's "Reply lost after the write" table: `| call | write | answer | audit |`. */
export function documentedLostReplies(): Map<string, string[]> {
  return documentedTable("Call", 4);
}

/** Rows (first cell → the others) of the tables in docs/reliability.md whose header starts with `header` and that have `columns` cells. */
function documentedTable(header: string, columns: number): Map<string, string[]> {
  const text = readFileSync(join(REPO_ROOT, "docs/reliability.md"), "utf8");
  const rows = new Map<string, string[]>();
  let inTable = false;
  for (const line of text.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim().replace(/`/g, ""));
    if (cells.length !== columns) {
      inTable = false;
      continue;
    }
    if (cells[0] === header) inTable = true;
    else if (inTable && !/^-+$/.test(cells[0]!)) rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}
