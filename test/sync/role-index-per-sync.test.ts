import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceGetterService } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorTransport } from "../../src/engine/connector-client.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * The role and custom-role syncers read every admin assignment once per sync (role-assignments.ts).
 * A targeted sync reads a role with GetResource and ListGrants only, never the listing that used to
 * rebuild that index, so before this it was served the index of an earlier sync, up to 30 minutes
 * old: role grants changed since were missing (found by test/interop/targeted-checks.ts). The index
 * now belongs to the engine's sync (active_sync_id): the same sync keeps one consistent read, another
 * sync reads afresh.
 */
let fake: FakeOkta;
let connector: RunningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 31, users: 60 });
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

const ROLE = "REPORT_ADMIN";
const role = { id: { resourceType: "role", resource: ROLE }, displayName: "Report Administrator" };

async function holders(activeSyncId: string): Promise<string[]> {
  const response = await connector.clients.grants.listGrants({ resource: role, activeSyncId, pageSize: 250 });
  expect(response.nextPageToken).toBe("");
  return response.list.map((g) => g.id).sort();
}

/** Gives `userId` the role through Okta's API, as an administrator in the console would: the connector is not told. */
async function assignInOkta(userId: string): Promise<void> {
  const response = await fetch(`${fake.url}/api/v1/users/${userId}/roles`, {
    method: "POST",
    headers: { Authorization: `SSWS ${fake.tokens.super_admin}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ type: ROLE }),
  });
  expect(response.status).toBe(201);
}

describe("admin role grants are read once per engine sync", { timeout: 120_000 }, () => {
  it("a later sync (a targeted one: GetResource, then ListGrants) sees a role given after an earlier sync read the roles", async () => {
    const truth = await fake.groundTruth();
    const user = truth.users.find((u) => u.status === "ACTIVE" && !truth.roleAssignments.some((a) => a.assigneeId === u.id))!;
    const grantId = `role:${ROLE}:assigned:user:${user.id}`;

    const before = await holders("sync-1");
    expect(before).not.toContain(grantId);
    await assignInOkta(user.id);

    // The same sync keeps the read it started with, so its pages agree with one another.
    expect(await holders("sync-1")).toEqual(before);
    // A targeted sync asks GetResource first, then the grants, under its own sync id.
    const getter = createClient(ResourceGetterService, createConnectorTransport({ address: connector.process.address }));
    const got = await getter.getResource({ resourceId: role.id, activeSyncId: "sync-2" });
    expect(got.resource?.id?.resource).toBe(ROLE);
    expect(await holders("sync-2")).toEqual([...before, grantId].sort());
  });
});
