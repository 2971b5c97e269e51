import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EntitlementsService } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantManagerService } from "../../gen/c1/connector/v2/grant_pb.js";
import { ActionService } from "../../gen/c1/connector/v2/action_pb.js";
import {
  AccountManagerService,
  CredentialManagerService,
  ResourceDeleterService,
  ResourceManagerService,
  ResourcesService,
} from "../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { createFakeConnector, createFakeSyncer, type FakeConnectorServer, startFakeConnectorServer } from "../support/fake-syncer.js";
import { createGrpcJsClient, type GrpcJsClient, serverStreamAll, unary } from "../support/grpc-client.js";

const DISPLAY_NAME_MAX_BYTES = 1024;

/**
 * The code and message an RPC failed with. grpc-js reads grpc-message with decodeURI, which leaves
 * the %3A, %2C and %3B that connect-node's encodeURIComponent writes; a gRPC peer decodes them all.
 */
async function failureOf(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    return { code, message: decodeURIComponent(details) };
  }
  throw new Error("the call succeeded");
}
const utf8Bytes = (value: string): number => Buffer.byteLength(value, "utf8");

/** Repeats `unit` after `prefix` until the string holds at least `bytes` UTF-8 bytes. */
function fill(prefix: string, unit: string, bytes: number): string {
  let value = prefix;
  while (utf8Bytes(value) < bytes) value += unit;
  return value;
}

// Okta allows longer names than baton; each row puts byte 1024 inside a character of a different width.
const LONG_NAMES: readonly { readonly label: string; readonly name: string }[] = [
  { label: "mixed Latin, kana and emoji (cut inside a 2-byte ï)", name: fill("", "Ünïcødé グループ 🎉 ", 3000) },
  { label: "3-byte kana", name: fill("x".repeat(1022), "グループ", 3000) },
  { label: "4-byte emoji", name: fill("x".repeat(1021), "🎉", 3000) },
];
const EXACT_FIT = "x".repeat(1020) + "🎉";

describe("baton's limits, enforced on a served connector and seen by grpc-js", () => {
  const users = createFakeSyncer({ typeId: "user", trait: "user", pages: 3, pageSize: 4 });
  const groups = createFakeSyncer({
    typeId: "group",
    trait: "group",
    pages: 1,
    pageSize: LONG_NAMES.length + 1,
    displayName: (index) => LONG_NAMES[index]?.name ?? EXACT_FIT,
  });
  let served: FakeConnectorServer;
  let resources: GrpcJsClient;
  let stream: GrpcJsClient;

  beforeAll(async () => {
    served = await startFakeConnectorServer(createFakeConnector({ syncers: [users, groups] }));
    resources = createGrpcJsClient(ResourcesService, served.address);
    stream = createGrpcJsClient(ConnectorStreamService, served.address);
  });
  afterAll(async () => {
    resources.close();
    stream.close();
    await served.server.shutdown(0);
  });

  const listAll = async (client: GrpcJsClient, resourceTypeId: string) => {
    const ids: string[] = [];
    const tokens: string[] = [];
    let pageToken = "";
    do {
      const page = await unary(client, ResourcesService.method.listResources, { resourceTypeId, pageToken });
      ids.push(...page.list.map((r) => r.id!.resource));
      pageToken = page.nextPageToken;
      tokens.push(pageToken);
    } while (pageToken !== "");
    return { ids, tokens };
  };

  describe("an over-long display name from a syncer", () => {
    const expectFitted = (received: readonly string[]) => {
      expect(received).toHaveLength(LONG_NAMES.length + 1);
      LONG_NAMES.forEach(({ name }, index) => {
        const fitted = received[index]!;
        // A prefix of the original proves the cut fell on a character boundary: a split character
        // would decode as U+FFFD, which the original does not contain.
        expect(name.startsWith(fitted)).toBe(true);
        expect(utf8Bytes(fitted)).toBeLessThanOrEqual(DISPLAY_NAME_MAX_BYTES);
        const nextChar = String.fromCodePoint(name.codePointAt(fitted.length)!);
        expect(utf8Bytes(fitted + nextChar)).toBeGreaterThan(DISPLAY_NAME_MAX_BYTES);
      });
      expect(received[LONG_NAMES.length]).toBe(EXACT_FIT);
    };

    it("puts byte 1024 inside a multi-byte character in every row, so the cut must step back", () => {
      for (const { name } of LONG_NAMES) {
        expect(utf8Bytes(name)).toBeGreaterThanOrEqual(3000);
        expect(Buffer.from(name, "utf8")[DISPLAY_NAME_MAX_BYTES]! & 0xc0).toBe(0x80);
      }
      expect(utf8Bytes(EXACT_FIT)).toBe(DISPLAY_NAME_MAX_BYTES);
    });

    it("arrives through ListResources cut to 1024 bytes on a character boundary", async () => {
      const page = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "group" });
      expectFitted(page.list.map((r) => r.displayName));
    });

    it("arrives through StreamResources cut the same way", async () => {
      const batches = await serverStreamAll(stream, ConnectorStreamService.method.streamResources, { resourceTypeId: "group" });
      expectFitted(batches.flatMap((b) => b.resources.map((r) => r.displayName)));
    });
  });

  describe("request validation", () => {
    it("answers page_size 251 with INVALID_ARGUMENT naming page_size, and accepts 250", async () => {
      const failure = await failureOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageSize: 251 }));
      expect(failure).toEqual({ code: grpc.status.INVALID_ARGUMENT, message: "page_size: 251 exceeds 250" });
      const page = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageSize: 250 });
      expect(page.list).toHaveLength(4);
    });

    it("answers a missing resource_type_id with INVALID_ARGUMENT naming it", async () => {
      const failure = await failureOf(unary(resources, ResourcesService.method.listResources, {}));
      expect(failure).toEqual({ code: grpc.status.INVALID_ARGUMENT, message: "resource_type_id: is required" });
    });

    it("answers an unknown resource type with NOT_FOUND", async () => {
      const failure = await failureOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "device" }));
      expect(failure).toEqual({ code: grpc.status.NOT_FOUND, message: 'resource_type_id: unknown resource type "device"' });
    });

    it("answers a page token altered to skip a page with INVALID_ARGUMENT naming page_token", async () => {
      const first = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user" });
      const raw = Buffer.from(first.nextPageToken, "base64url");
      const payload = raw.toString("latin1");
      expect(payload).toContain('"page":1');
      const forged = Buffer.from(payload.replace('"page":1', '"page":2'), "latin1").toString("base64url");
      const failure = await failureOf(unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: forged }));
      expect(failure).toEqual({ code: grpc.status.INVALID_ARGUMENT, message: expect.stringMatching(/^page_token: .*integrity/) });
    });

    it("refuses a token issued for another listing", async () => {
      const first = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user" });
      const failure = await failureOf(
        unary(resources, ResourcesService.method.listResources, { resourceTypeId: "group", pageToken: first.nextPageToken }),
      );
      expect(failure).toEqual({ code: grpc.status.INVALID_ARGUMENT, message: expect.stringMatching(/^page_token: .*another listing/) });
    });
  });

  describe("paging", () => {
    it("returns every resource exactly once across ListResources pages", async () => {
      const { ids, tokens } = await listAll(resources, "user");
      expect(ids).toEqual(users.allIds);
      expect(new Set(ids).size).toBe(12);
      expect(tokens).toHaveLength(3);
    });

    it("accepts a token after a restart (same org and credential) and refuses it under another credential", async () => {
      const first = await unary(resources, ResourcesService.method.listResources, { resourceTypeId: "user" });
      const restarted = await startFakeConnectorServer(
        createFakeConnector({ syncers: [createFakeSyncer({ typeId: "user", trait: "user", pages: 3, pageSize: 4 })] }),
      );
      const otherCredential = await startFakeConnectorServer(
        createFakeConnector({
          syncers: [createFakeSyncer({ typeId: "user", trait: "user", pages: 3, pageSize: 4 })],
          credential: "00bAnotherApiToken0123456789abcdefghijklmno",
        }),
      );
      const afterRestart = createGrpcJsClient(ResourcesService, restarted.address);
      const foreign = createGrpcJsClient(ResourcesService, otherCredential.address);
      try {
        const second = await unary(afterRestart, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: first.nextPageToken });
        expect(second.list.map((r) => r.id!.resource)).toEqual(users.allIds.slice(4, 8));
        expect(second.nextPageToken).not.toBe("");
        const failure = await failureOf(
          unary(foreign, ResourcesService.method.listResources, { resourceTypeId: "user", pageToken: first.nextPageToken }),
        );
        expect(failure).toEqual({ code: grpc.status.INVALID_ARGUMENT, message: expect.stringMatching(/^page_token: .*integrity/) });
      } finally {
        afterRestart.close();
        foreign.close();
        await Promise.all([restarted.server.shutdown(0), otherCredential.server.shutdown(0)]);
      }
    });

    it("resumes StreamResources from any batch's cursor with exactly the items after it", async () => {
      // batch_size 3 on pages of 4 leaves cursors in the middle of a page as well as at page ends.
      const full = await serverStreamAll(stream, ConnectorStreamService.method.streamResources, { resourceTypeId: "user", batchSize: 3 });
      const idsOf = (batches: typeof full) => batches.flatMap((b) => b.resources.map((r) => r.id!.resource));
      expect(idsOf(full)).toEqual(users.allIds);
      expect(full.map((b) => b.resources.length)).toEqual([3, 1, 3, 1, 3, 1]);
      expect(full.at(-1)?.cursor).toBe("");

      for (let k = 0; k < full.length - 1; k++) {
        const seen = idsOf(full.slice(0, k + 1)).length;
        const resumed = await serverStreamAll(stream, ConnectorStreamService.method.streamResources, {
          resourceTypeId: "user",
          batchSize: 3,
          cursor: full[k]!.cursor,
        });
        expect(idsOf(resumed)).toEqual(users.allIds.slice(seen));
      }
    });
  });

  describe("services Okta has nothing for", () => {
    it("answers ListStaticEntitlements with an empty list", async () => {
      const client = createGrpcJsClient(EntitlementsService, served.address);
      try {
        const response = await unary(client, EntitlementsService.method.listStaticEntitlements, { resourceTypeId: "group" });
        expect(response.list).toEqual([]);
        expect(response.nextPageToken).toBe("");
      } finally {
        client.close();
      }
    });

    const provisioningCalls = [
      ["GrantManagerService.Grant", GrantManagerService, GrantManagerService.method.grant],
      ["GrantManagerService.Revoke", GrantManagerService, GrantManagerService.method.revoke],
      ["AccountManagerService.CreateAccount", AccountManagerService, AccountManagerService.method.createAccount],
      ["ResourceDeleterService.DeleteResourceV2", ResourceDeleterService, ResourceDeleterService.method.deleteResourceV2],
      ["ResourceManagerService.CreateResource", ResourceManagerService, ResourceManagerService.method.createResource],
      ["CredentialManagerService.RotateCredential", CredentialManagerService, CredentialManagerService.method.rotateCredential],
      ["ActionService.InvokeAction", ActionService, ActionService.method.invokeAction],
    ] as const;

    it.each(provisioningCalls)("answers %s with FAILED_PRECONDITION naming --provisioning", async (_name, service, method) => {
      const client = createGrpcJsClient(service, served.address);
      try {
        // Each row's method is typed by its own service; the empty request is valid for all of them.
        const failure = await failureOf(unary(client, method as never, {}));
        expect(failure).toEqual({ code: grpc.status.FAILED_PRECONDITION, message: expect.stringContaining("--provisioning") });
      } finally {
        client.close();
      }
    });
  });
});
