import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GrantsService } from "../../gen/c1/connector/v2/grant_pb.js";
import { type Resource, ResourcesService } from "../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorClients } from "../../src/engine/connector-client.js";
import { startFakeOkta, type FakeOkta, type GroundTruth } from "../fake-okta/index.js";
import { createGrpcJsClient, unary } from "../support/grpc-client.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { duplicatesOf } from "./support/compare-sync.js";

/**
 * The engine checkpoints page tokens and resumes with them after either side restarts. A listing
 * interrupted halfway and continued on a new connector process, with a different gRPC client, must
 * return exactly what an uninterrupted listing returns. A 2,500-user org gives the user listing 12
 * Okta pages and the Everyone group's membership 3.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let first: RunningConnector;
let everyone: Resource;
const uninterrupted = { users: [] as string[], userPages: 0, grants: [] as string[], grantPages: 0 };

interface Page {
  ids: string[];
  next: string;
}

const userPage = async (clients: ConnectorClients, pageToken: string): Promise<Page> => {
  const page = await clients.resources.listResources({ resourceTypeId: "user", pageToken });
  return { ids: page.list.map((r) => r.id!.resource), next: page.nextPageToken };
};
const grantPage = async (clients: ConnectorClients, pageToken: string): Promise<Page> => {
  const page = await clients.grants.listGrants({ resource: everyone, pageToken });
  return { ids: page.list.map((g) => g.id), next: page.nextPageToken };
};

async function pageToEnd(fetchPage: (token: string) => Promise<Page>, from = ""): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  let token = from;
  do {
    const page = await fetchPage(token);
    ids.push(...page.ids);
    pages++;
    token = page.next;
  } while (token !== "");
  return { ids, pages };
}

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 5, users: 2_500 });
  truth = await fake.groundTruth();
  first = await startConnector(fake, { token: fake.tokens.read_only });
  const groups = await first.clients.resources.listResources({ resourceTypeId: "group" });
  expect(groups.nextPageToken).toBe("");
  everyone = groups.list.find((g) => g.displayName === "Everyone")!;
  const users = await pageToEnd((t) => userPage(first.clients, t));
  const grants = await pageToEnd((t) => grantPage(first.clients, t));
  Object.assign(uninterrupted, { users: users.ids, userPages: users.pages, grants: grants.ids, grantPages: grants.pages });
}, 120_000);

afterAll(async () => {
  await first?.stop();
  await fake?.close();
});

describe("resuming a listing from a saved page token after a restart", { timeout: 120_000 }, () => {
  it("the uninterrupted listings span several pages and hold what the org holds", () => {
    expect(uninterrupted.userPages).toBeGreaterThanOrEqual(6);
    expect(uninterrupted.grantPages).toBeGreaterThanOrEqual(3);
    expect(uninterrupted.users.sort()).toEqual(truth.users.filter((u) => u.status !== "DEPROVISIONED").map((u) => u.id).sort());
    expect(uninterrupted.grants.length).toBe(uninterrupted.users.length);
  });

  it("ListResources(user) and ListGrants(Everyone) continue on a new process, through grpc-js, with nothing lost or repeated", async () => {
    const before = { users: [] as string[], grants: [] as string[] };
    let userToken = "";
    for (let i = 0; i < Math.floor(uninterrupted.userPages / 2); i++) {
      const page = await userPage(first.clients, userToken);
      before.users.push(...page.ids);
      userToken = page.next;
    }
    const grantFirst = await grantPage(first.clients, "");
    before.grants.push(...grantFirst.ids);
    const grantToken = grantFirst.next;
    expect(userToken).not.toBe("");
    expect(grantToken).not.toBe("");
    await first.stop();

    const second = await startConnector(fake, { token: fake.tokens.read_only });
    const resources = createGrpcJsClient(ResourcesService, second.process.address);
    const grants = createGrpcJsClient(GrantsService, second.process.address);
    try {
      const restUsers = await pageToEnd(async (t) => {
        const page = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: t });
        return { ids: page.list.map((r) => r.id!.resource), next: page.nextPageToken };
      }, userToken);
      const restGrants = await pageToEnd(async (t) => {
        const page = await unary(grants, GrantsService.method.listGrants, { resource: everyone, pageToken: t });
        return { ids: page.list.map((g) => g.id), next: page.nextPageToken };
      }, grantToken);

      const users = [...before.users, ...restUsers.ids];
      const grantIds = [...before.grants, ...restGrants.ids];
      expect(before.users.length).toBeGreaterThan(0);
      expect(restUsers.ids.length).toBeGreaterThan(0);
      expect(duplicatesOf(users)).toEqual([]);
      expect(duplicatesOf(grantIds)).toEqual([]);
      expect(users.sort()).toEqual([...uninterrupted.users].sort());
      expect(grantIds.sort()).toEqual([...uninterrupted.grants].sort());

      // A tampered token is refused, naming the field, whichever process issued it.
      const tampered = userToken.slice(0, 20) + (userToken[20] === "A" ? "B" : "A") + userToken.slice(21);
      const refusal = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: tampered }).then(
        () => undefined,
        (error: grpc.ServiceError) => ({ code: error.code, message: decodeURIComponent(error.details) }),
      );
      expect(refusal?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(refusal?.message).toMatch(/page_token/);

      // A genuine token belongs to its own listing: the user listing's token is no grant cursor.
      const misplaced = await unary(grants, GrantsService.method.listGrants, { resource: everyone, pageToken: userToken }).then(
        () => undefined,
        (error: grpc.ServiceError) => ({ code: error.code, message: decodeURIComponent(error.details) }),
      );
      expect(misplaced?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(misplaced?.message).toMatch(/page_token/);
    } finally {
      resources.close();
      grants.close();
      await second.stop();
    }
  });
});
