import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grant } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import { skippedListings } from "../../src/protocol/resource-walk.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * Paged RPCs driven in baton-sdk v0.25.0's order, against a connector process: the types listed from
 * the last to the first, then each resource's grants from the last resource stored back to the first
 * (its store hands the syncer 10,000 rows at a time and the syncer works them from the top of its
 * stack). The connector learns that walk and fetches the next resources' grant listings, and the next
 * types' resource listings, ahead: first pages are served from prefetch, none is wasted, the answers
 * are those of a connector without prefetch, and Okta sees no more calls.
 */
let fake: FakeOkta;
let prefetching: RunningConnector;
let plain: RunningConnector;
const calls = { prefetching: 0, plain: 0 };
const walked = { prefetching: [] as Grant[], plain: [] as Grant[], grantPages: 0, grantResources: 0, resourcePages: 0 };
let stats: { started: number; served: number; wasted: number; evicted: number; failed: number };

/** baton-sdk's order: types last to first, every page; then grants of the stored resources, last to first. */
async function batonOrderWalk(clients: ConnectorClients): Promise<{ grants: Grant[]; grantPages: number; grantResources: number; resourcePages: number }> {
  const types = (await clients.resourceTypes.listResourceTypes({})).list;
  const stored: Resource[] = [];
  let resourcePages = 0;
  for (const type of [...types].reverse()) {
    for (let token = "", first = true; first || token !== ""; first = false) {
      const page = await clients.resources.listResources({ resourceTypeId: type.id, pageToken: token });
      resourcePages++;
      stored.push(...page.list);
      token = page.nextPageToken;
    }
  }
  const typeOf = new Map(types.map((t) => [t.id, t]));
  const grants: Grant[] = [];
  let grantPages = 0;
  let grantResources = 0;
  for (const resource of [...stored].reverse()) {
    if (skippedListings(resource.annotations, typeOf.get(resource.id!.resourceType)!.annotations).has("grants")) continue;
    grantResources++;
    for (let token = "", first = true; first || token !== ""; first = false) {
      const page = await clients.grants.listGrants({ resource, pageToken: token });
      grantPages++;
      grants.push(...page.list);
      token = page.nextPageToken;
    }
  }
  return { grants, grantPages, grantResources, resourcePages };
}

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 23, users: 2_000, faults: { latencyMs: 20, jitterMs: 10 } });
  prefetching = await startConnector(fake, { token: fake.tokens.super_admin });
  plain = await startConnector(fake, { token: fake.tokens.super_admin, args: ["--paged-prefetch=false"] });

  fake.resetStats();
  const withPrefetch = await batonOrderWalk(prefetching.clients);
  calls.prefetching = fake.stats().totals.calls;
  walked.prefetching = withPrefetch.grants;
  walked.grantPages = withPrefetch.grantPages;
  walked.grantResources = withPrefetch.grantResources;
  walked.resourcePages = withPrefetch.resourcePages;

  fake.resetStats();
  walked.plain = (await batonOrderWalk(plain.clients)).grants;
  calls.plain = fake.stats().totals.calls;
}, 480_000);

afterAll(async () => {
  await prefetching?.stop();
  await plain?.stop();
  await fake?.close();
});

describe("paged sync in baton-sdk's order, with the next resources' listings fetched ahead", () => {
  it("answers every grant page exactly as a connector without prefetch", () => {
    expect(walked.grantResources).toBeGreaterThan(30);
    expect(walked.prefetching.length).toBeGreaterThan(8_000);
    const ids = (grants: Grant[]) => grants.map((g) => g.id);
    expect(ids(walked.prefetching)).toEqual(ids(walked.plain));
    expect(walked.prefetching).toEqual(walked.plain);
  });

  it("makes no more Okta calls than the connector without prefetch", () => {
    expect(calls.plain).toBeGreaterThan(0);
    expect(calls.prefetching).toBeLessThanOrEqual(calls.plain);
  });

  it("does not serve a page fetched ahead to a request naming another copy of its resource: that one is answered live, and the page counts as wasted", async () => {
    const fresh = await startConnector(fake, { token: fake.tokens.super_admin });
    try {
      const groups = (await fresh.clients.resources.listResources({ resourceTypeId: "group" })).list;
      expect(groups.length).toBeGreaterThan(5);
      const [a, b, c] = groups.slice(-3) as [Resource, Resource, Resource];
      // Two neighbouring asks, forwards: the last group's listing is fetched ahead.
      await fresh.clients.grants.listGrants({ resource: a });
      await fresh.clients.grants.listGrants({ resource: b });
      const renamed = create(ResourceSchema, { ...c, displayName: "Renamed by the engine" });
      const page = await fresh.clients.grants.listGrants({ resource: renamed });
      expect(page.list.length).toBeGreaterThan(0);
      for (const grant of page.list) expect(grant.entitlement?.resource?.displayName).toBe("Renamed by the engine");
      let pages = 1;
      for (let token = page.nextPageToken; token !== ""; pages++) token = (await plain.clients.grants.listGrants({ resource: c, pageToken: token })).nextPageToken;
      await fresh.stop();
      // Every page of the last group's listing was fetched ahead, and none was served: all are wasted.
      const counts = fresh.process.logLines().find((l) => l.msg === "paged prefetch")?.pagedPrefetch as typeof stats;
      expect(counts).toMatchObject({ served: 0, wasted: pages, failed: 0 });
    } finally {
      await fresh.stop();
    }
  });

  it("serves the first pages of the resources walked (all but the first two asks) and of the types listed after the first two, wasting none", async () => {
    // Shutdown closes the prefetcher and logs its counts: any page still held then is counted as wasted.
    await prefetching.stop();
    const line = prefetching.process.logLines().find((l) => l.msg === "paged prefetch");
    stats = line?.pagedPrefetch as typeof stats;
    expect(stats, "the connector logs its prefetch counts at shutdown").toBeDefined();
    // Without the walk only pages after a first one are served: at most grantPages - grantResources of them.
    expect(stats.served).toBeGreaterThanOrEqual(walked.grantPages - 2);
    expect(stats.failed).toBe(0);
    expect(stats.wasted).toBe(0);
    expect(stats.served + stats.wasted).toBe(stats.started);
  });
});
