import type { Any } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type ProvisioningConnector, startProvisioningConnector } from "./support/provisioning-connector.js";

/**
 * With --sync-deprovisioned-users a group's app grant is not GrantExpandable (the connector writes its
 * members' access itself: docs/compatibility.md, "App access"). A Grant of the group to an app must
 * answer the grant exactly as the next listing shows it, as on every other path (grant-revoke.test.ts).
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: ProvisioningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 11 });
  truth = await fake.groundTruth();
  connector = await startProvisioningConnector(fake, { token: fake.tokens.super_admin, args: ["--sync-deprovisioned-users"] });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

const annotationBytes = (annotations: readonly Any[]) => annotations.map((a) => `${a.typeUrl}=${Buffer.from(a.value).toString("hex")}`);

describe("app assignment (group) with --sync-deprovisioned-users", { timeout: 120_000 }, () => {
  it("Grant answers the group's app grant as the listing shows it, without GrantExpandable", async () => {
    const app = truth.apps.find((a) => a.status === "ACTIVE" && a.groups.length > 0)!;
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && !app.groups.some((x) => x.groupId === g.id))!;
    const entitlement = await connector.entitlement("app", app.id, "access");
    const principal = await connector.resource("group", group.id);
    const granted = await connector.clients.grantManager.grant({ entitlement, principal });
    const listed = (await connector.grants(entitlement.resource!)).filter((g) => g.id === granted.grants[0]!.id);
    expect(listed).toHaveLength(1);
    expect(annotationBytes(granted.grants[0]!.annotations)).toEqual(annotationBytes(listed[0]!.annotations));
    expect(granted.grants[0]!.annotations.map((a) => a.typeUrl)).toEqual(["type.googleapis.com/c1.connector.v2.V1Identifier"]);
  });
});
