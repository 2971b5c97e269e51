import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Resource } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { runCli } from "../engine/support/sync-cli.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * Issue 13 item 5: next links that go round in a circle (the simulator's `loopNextLinks`: pages
 * 2 -> 3 -> 2 …) once kept a sync calling Okta for ever. Each listing must be refused UNAVAILABLE,
 * naming the Okta endpoint, within a few calls, and resuming from the last cursor once Okta pages
 * normally again must give exactly what a clean run gives. 2,500 users give the user listing 13 Okta
 * pages and the Everyone group's membership 3 (1,000 a page), the fewest a circle of two needs.
 */
let fake: FakeOkta;
let connector: RunningConnector;
let everyone: Resource;
/** A clean Sync's item ids, and the clean paged listings. */
const clean = { sync: [] as string[], users: [] as string[], grants: [] as string[] };

interface Page {
  ids: string[];
  next: string;
}
type PageFetch = (clients: ConnectorClients, pageToken: string) => Promise<Page>;

const userPage: PageFetch = async (clients, pageToken) => {
  const page = await clients.resources.listResources({ resourceTypeId: "user", pageToken });
  return { ids: page.list.map((r) => r.id!.resource), next: page.nextPageToken };
};
const grantPage: PageFetch = async (clients, pageToken) => {
  const page = await clients.grants.listGrants({ resource: everyone, pageToken });
  return { ids: page.list.map((g) => g.id), next: page.nextPageToken };
};

/** Pages from `from` until the end or a failure; returns what came and the last token that worked. */
async function pageUntil(fetch: PageFetch, from = ""): Promise<{ ids: string[]; calls: number; token: string; error?: ConnectError }> {
  const ids: string[] = [];
  let token = from;
  for (let calls = 1; calls <= 200; calls++) {
    let page: Page;
    try {
      page = await fetch(connector.clients, token);
    } catch (error) {
      return { ids, calls, token, error: ConnectError.from(error) };
    }
    ids.push(...page.ids);
    if (page.next === "") return { ids, calls, token: "" };
    token = page.next;
  }
  throw new Error("the listing neither ended nor failed in 200 pages");
}

/** Runs a Sync stream until its summary or a failure; returns the item ids and the last resume cursor. */
async function syncUntil(resumeCursor = ""): Promise<{ ids: string[]; cursor: string; error?: ConnectError }> {
  const ids: string[] = [];
  let cursor = resumeCursor;
  try {
    for await (const message of connector.clients.stream.sync({ resumeCursor, batchSize: 250 })) {
      if (message.event.case !== "batch") continue;
      const batch = message.event.value;
      ids.push(...batch.resources.map((r) => `${r.id!.resourceType}/${r.id!.resource}`), ...batch.entitlements.map((e) => e.id), ...batch.grants.map((g) => g.id));
      cursor = batch.resumeCursor;
    }
  } catch (error) {
    return { ids, cursor, error: ConnectError.from(error) };
  }
  return { ids, cursor };
}

/** Okta calls to one listing (its path, any query) since the request log held `from` entries. */
const callsTo = (path: string, from: number): number => fake.requestLog().slice(from).filter((e) => e.path === path || e.path.startsWith(`${path}?`)).length;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 5, users: 2_500 });
  connector = await startConnector(fake, { token: fake.tokens.read_only });
  const groups = await connector.clients.resources.listResources({ resourceTypeId: "group" });
  everyone = groups.list.find((g) => g.displayName === "Everyone")!;
  const sync = await syncUntil();
  expect(sync.error).toBeUndefined();
  clean.sync = sync.ids.sort();
  clean.users = (await pageUntil(userPage)).ids;
  clean.grants = (await pageUntil(grantPage)).ids;
  expect(clean.grants.length).toBeGreaterThan(2_000);
}, 180_000);

afterEach(() => fake.setFaults({ loopNextLinks: false, buckets: [] }));

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let dir: string;

describe("next links that loop", { timeout: 180_000 }, () => {
  it.each([
    ["the user listing", "users", "GET /api/v1/users"],
    ["the Everyone group's members", "other", `GET /api/v1/groups/${"{groupId}"}/users`],
  ])("a streamed Sync is refused UNAVAILABLE naming the endpoint when %s loops, and resumes to the clean result", async (_name, bucket, route) => {
    fake.setFaults({ loopNextLinks: true, buckets: [bucket] });
    const from = fake.requestLog().length;
    const broken = await syncUntil();
    const endpoint = route.replace("{groupId}", everyone.id!.resource);
    expect(broken.error?.code).toBe(Code.Unavailable);
    expect(broken.error?.rawMessage).toContain(`Okta's paging of ${endpoint} loops`);
    // Pages 1, 2 and 3; page 3's next link (back to page 2) is where the circle shows.
    expect(callsTo(endpoint.slice(4), from)).toBe(3);
    expect(broken.cursor).not.toBe("");

    fake.setFaults({ loopNextLinks: false });
    const resumed = await syncUntil(broken.cursor);
    expect(resumed.error).toBeUndefined();
    expect([...broken.ids, ...resumed.ids].sort()).toEqual(clean.sync);
  });

  it.each([
    ["ListResources(user)", userPage, "users", "GET /api/v1/users", () => clean.users],
    ["ListGrants(Everyone)", grantPage, "other", "GET /api/v1/groups/{groupId}/users", () => clean.grants],
  ])("paged %s is refused UNAVAILABLE naming the endpoint, and the engine's retry with its last token finishes cleanly", async (_name, fetch, bucket, route, expected) => {
    fake.setFaults({ loopNextLinks: true, buckets: [bucket] });
    const from = fake.requestLog().length;
    const broken = await pageUntil(fetch);
    expect(broken.error?.code).toBe(Code.Unavailable);
    const endpoint = route.replace("{groupId}", everyone.id!.resource);
    expect(broken.error?.rawMessage).toBe(`Okta's paging of ${endpoint} loops: a next link leads back to a page this listing already read`);
    expect(broken.calls).toBe(3);
    // Pages 1, 2 and 3, and page 3 once more: page 3 was prefetched (--paged-prefetch), and a prefetch's
    // error is not kept, so the request for page 3 goes to Okta itself and meets the error first-hand.
    expect(callsTo(endpoint.slice(4), from)).toBe(4);

    fake.setFaults({ loopNextLinks: false });
    const resumed = await pageUntil(fetch, broken.token);
    expect(resumed.error).toBeUndefined();
    expect([...broken.ids, ...resumed.ids]).toEqual(expected());
  });
});

describe("StreamResources under next links that loop", { timeout: 180_000 }, () => {
  /** Streams users from `cursor` until the end or a failure. */
  async function streamUsers(cursor = ""): Promise<{ ids: string[]; cursor: string; error?: ConnectError }> {
    const ids: string[] = [];
    let last = cursor;
    try {
      for await (const batch of connector.clients.stream.streamResources({ resourceTypeId: "user", cursor, batchSize: 150 })) {
        ids.push(...batch.resources.map((r) => r.id!.resource));
        last = batch.cursor;
      }
    } catch (error) {
      return { ids, cursor: last, error: ConnectError.from(error) };
    }
    return { ids, cursor: last };
  }

  it("is refused UNAVAILABLE naming the endpoint, a resume while it loops fails before sending anything, and a resume after it gives the clean rest", async () => {
    fake.setFaults({ loopNextLinks: true, buckets: ["users"] });
    let from = fake.requestLog().length;
    const broken = await streamUsers();
    expect(broken.error?.code).toBe(Code.Unavailable);
    expect(broken.error?.rawMessage).toContain("Okta's paging of GET /api/v1/users loops");
    expect(callsTo("/api/v1/users", from)).toBe(3);

    // The cursor remembers the pages behind it, so the circle shows on the first page read.
    from = fake.requestLog().length;
    const again = await streamUsers(broken.cursor);
    expect([again.error?.code, again.ids.length, callsTo("/api/v1/users", from)]).toEqual([Code.Unavailable, 0, 1]);

    fake.setFaults({ loopNextLinks: false });
    const resumed = await streamUsers(broken.cursor);
    expect(resumed.error).toBeUndefined();
    expect([...broken.ids, ...resumed.ids]).toEqual(clean.users);
  });
});

describe("the reference engine under next links that loop", { timeout: 180_000 }, () => {
  // Each resume makes the engine try again, and a resume that made progress resets its retry count.
  // A resumed Sync that forgot the listing's history re-read the circle and sent a page again before
  // failing, which counted as progress: the sync never ended (535 Okta calls in two minutes). The
  // history rides in the resume cursor, so the resumed stream fails before sending anything.
  it.each([["streamed", []], ["paged", ["--paged"]]])("a %s sync gives up after its retries, within a few Okta calls", async (_mode, args) => {
    dir ??= mkdtempSync(join(tmpdir(), "listing-loop-"));
    fake.setFaults({ loopNextLinks: true, buckets: ["users"] });
    const from = fake.requestLog().length;
    const run = await runCli(["sync", "--connector", connector.process.address, "--out", join(dir, `${args.length}.db`), "--json", "--max-retries", "3", ...args], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("Okta's paging of GET /api/v1/users loops");
    // Pages 1 to 3 once, then at most two pages per retry.
    expect(callsTo("/api/v1/users", from)).toBeLessThanOrEqual(3 + 3 * 2);
  });
});
