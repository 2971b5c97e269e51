import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capability, ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { type Event, EventService, EventType } from "../../gen/c1/connector/v2/event_feed_pb.js";
import { connectorJsonTypes, derivePageTokenKey } from "../../src/protocol/index.js";
import { encodePageToken } from "../../src/protocol/page-token.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { collectSync, type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * The event feed over Okta's System Log, end to end: writes go to the simulated org through its HTTP
 * API (as an admin would make them), then ListEvents on the real `okta-connector serve` must return
 * one event per change, with the grant ids a full sync emits afterwards; paging, resuming a cursor,
 * the overlap re-read, bad input and retention are checked over gRPC, Connect JSON and gRPC-web JSON.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 16, users: 60 });
  truth = await fake.groundTruth();
  // A super admin's token, so the sync compared with the feed can read admin roles; no --provisioning, so GETs only.
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
});

const base = () => `http://${connector.process.address}`;
const transports: [string, () => Transport][] = [
  ["gRPC", () => createGrpcTransport({ baseUrl: base() })],
  ["Connect JSON", () => createConnectTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
  ["gRPC-web JSON", () => createGrpcWebTransport({ baseUrl: base(), httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
];
const grpc = () => createClient(EventService, transports[0]![1]());

/** A write through the simulator's API, as a super admin would make it in Okta. */
async function okta(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `SSWS ${fake.tokens.super_admin}`, accept: "application/json", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
}

/** What an event says, as one line: kind and the id the sync would use. */
function describeEvent(event: Event): string {
  const e = event.event;
  switch (e.case) {
    case "createGrantEvent":
    case "createRevokeEvent":
      return `${e.case === "createGrantEvent" ? "grant" : "revoke"} ${e.value.entitlement?.id}:${e.value.principal?.id?.resourceType}:${e.value.principal?.id?.resource}`;
    case "resourceChangeEvent":
      return `change ${e.value.resourceId?.resourceType}:${e.value.resourceId?.resource}`;
    case "usageEvent":
      return `usage ${e.value.actorResource?.id?.resourceType}:${e.value.actorResource?.id?.resource} → ${e.value.targetResource?.id?.resourceType}:${e.value.targetResource?.id?.resource}`;
    default:
      return `other ${e.case}`;
  }
}

/** Reads the feed until has_more is false; returns every page. */
async function readAll(client: Client<typeof EventService>, request: { startAt?: ReturnType<typeof timestampFromMs>; pageSize?: number; cursor?: string }) {
  const pages: { events: Event[]; cursor: string; hasMore: boolean }[] = [];
  let cursor = request.cursor ?? "";
  for (;;) {
    const page = await client.listEvents({ ...request, cursor });
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return pages;
    expect(pages.length).toBeLessThan(50);
  }
}

const expectCode = async (call: Promise<unknown>, code: Code, message: RegExp) => {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectError);
  expect({ code: Code[(error as ConnectError).code], message: (error as ConnectError).rawMessage }).toMatchObject({ code: Code[code], message: expect.stringMatching(message) });
};

describe("event feed over the System Log", { timeout: 120_000 }, () => {
  let startAt: number;
  let expected: string[];
  let pages: { events: Event[]; cursor: string; hasMore: boolean }[];

  beforeAll(async () => {
    const active = truth.users.filter((u) => u.status === "ACTIVE");
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length < 40)!;
    const outsiders = active.filter((u) => !group.memberIds.includes(u.id));
    const app = truth.apps.find((a) => a.status === "ACTIVE")!;
    const u1 = outsiders.find((u) => !app.users.some((x) => x.userId === u.id))!;
    const u2 = outsiders.find((u) => u.id !== u1.id && !truth.roleAssignments.some((r) => r.assigneeId === u.id))!;
    const u3 = active.find((u) => u.id !== u1.id && u.id !== u2.id)!;
    const otherGroup = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.id !== group.id && !app.groups.some((x) => x.groupId === g.id) && !truth.roleAssignments.some((r) => r.assigneeId === g.id))!;
    startAt = Date.now() - 1_000;

    await okta("PUT", `/api/v1/groups/${group.id}/users/${u1.id}`);
    await okta("PUT", `/api/v1/groups/${group.id}/users/${u2.id}`);
    await okta("DELETE", `/api/v1/groups/${group.id}/users/${u2.id}`);
    await okta("POST", `/api/v1/apps/${app.id}/users`, { id: u1.id });
    await okta("PUT", `/api/v1/apps/${app.id}/groups/${otherGroup.id}`, {});
    await okta("POST", `/api/v1/users/${u2.id}/roles`, { type: "REPORT_ADMIN" });
    await okta("POST", `/api/v1/groups/${otherGroup.id}/roles`, { type: "READ_ONLY_ADMIN" });
    await okta("POST", `/api/v1/users/${u3.id}/lifecycle/suspend`);
    // The simulator does not simulate sign-ins; this is the entry Okta writes for one (actor User, target AppInstance).
    fake.org.log.record({
      eventType: "user.authentication.sso",
      displayMessage: "User single sign on to app",
      actor: { id: u1.id, type: "User", alternateId: u1.login, displayName: u1.login },
      targets: [{ id: app.id, type: "AppInstance", alternateId: app.label, displayName: app.label }],
    });
    // A failed attempt is logged too, and changes nothing.
    fake.org.log.record({
      eventType: "group.user_membership.add",
      displayMessage: "Add user to group membership",
      actor: { id: "00uadmin", type: "User", alternateId: "admin", displayName: "admin" },
      targets: [{ id: u3.id, type: "User", alternateId: u3.login, displayName: u3.login }, { id: group.id, type: "UserGroup", alternateId: "unknown", displayName: group.name }],
      outcome: { result: "FAILURE", reason: "denied" },
    });
    expected = [
      `grant group:${group.id}:member:user:${u1.id}`,
      `grant group:${group.id}:member:user:${u2.id}`,
      `revoke group:${group.id}:member:user:${u2.id}`,
      `grant app:${app.id}:access:user:${u1.id}`,
      `grant app:${app.id}:access:group:${otherGroup.id}`,
      // The group carries its app count, so the assignment changed it too.
      `change group:${otherGroup.id}`,
      `grant role:REPORT_ADMIN:assigned:user:${u2.id}`,
      `grant role:READ_ONLY_ADMIN:assigned:group:${otherGroup.id}`,
      `change user:${u3.id}`,
      `usage user:${u1.id} → app:${app.id}`,
    ];
    pages = await readAll(grpc(), { startAt: timestampFromMs(startAt), pageSize: 4 });
  }, 120_000);

  it("names one feed with the event kinds it maps, and GetMetadata advertises EVENT_FEED_V2", async () => {
    const feeds = await grpc().listEventFeeds({});
    expect(feeds.list.map((f) => ({ id: f.id, types: [...f.supportedEventTypes].sort() }))).toEqual([
      { id: "baton_feed_event", types: [EventType.USAGE, EventType.RESOURCE_CHANGE, EventType.CREATE_GRANT, EventType.CREATE_REVOKE].sort() },
    ]);
    const metadata = await createClient(ConnectorService, transports[0]![1]()).getMetadata({});
    expect(metadata.metadata?.capabilities?.connectorCapabilities).toContain(Capability.EVENT_FEED_V2);
  });

  it("returns one event per change (two for the group's app assignment), in order, with the Okta uuid as id, paged by page_size", () => {
    const events = pages.flatMap((p) => p.events);
    expect(events.map(describeEvent)).toEqual(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // A log entry that maps to several events numbers them after its uuid.
    expect(events.every((e) => /^[0-9a-f-]{36}(:\d+)?$/.test(e.id) && e.occurredAt !== undefined)).toBe(true);
    // Ten log entries (the failed one included) in pages of 4: two full pages say there is more.
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages.map((p) => p.events.length)).toEqual([4, 5, 1]);
  });

  it("announces exactly the grants a full sync then holds, and revokes grants it no longer holds", async () => {
    const synced = await collectSync(connector.clients);
    const ids = new Set(synced.grants.map((g) => g.id));
    const events = pages.flatMap((p) => p.events).map(describeEvent);
    const granted = events.filter((e) => e.startsWith("grant ")).map((e) => e.slice(6));
    const revoked = events.filter((e) => e.startsWith("revoke ")).map((e) => e.slice(7));
    // u2's membership was added and removed: its grant is announced, then revoked, and the sync lacks it.
    const standing = granted.filter((id) => !revoked.includes(id));
    expect(standing.filter((id) => !ids.has(id))).toEqual([]);
    expect(revoked.filter((id) => ids.has(id))).toEqual([]);
    expect(standing.length).toBe(5);
    const resources = new Set(synced.resources.map((r) => `${r.id?.resourceType}:${r.id?.resource}`));
    expect(events.filter((e) => e.startsWith("change ")).map((e) => e.slice(7)).filter((id) => !resources.has(id))).toEqual([]);
  });

  it("resumes from any cursor it handed out, with the same events after it, and re-reads nothing it delivered", async () => {
    const rest = await readAll(grpc(), { cursor: pages[0]!.cursor, pageSize: 4 });
    expect(rest.flatMap((p) => p.events).map((e) => e.id)).toEqual(pages.slice(1).flatMap((p) => p.events).map((e) => e.id));
    // The next read starts a minute before the last one ended, so it sees every entry again and drops them all.
    const again = await grpc().listEvents({ cursor: pages.at(-1)!.cursor });
    expect(again.events).toEqual([]);
    expect(again.hasMore).toBe(false);
  });

  it("delivers a later change once, after the cursor", async () => {
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
    const member = group.memberIds[0]!;
    await okta("DELETE", `/api/v1/groups/${group.id}/users/${member}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await readAll(grpc(), { cursor: pages.at(-1)!.cursor });
    expect(after.flatMap((p) => p.events).map(describeEvent)).toEqual([`revoke group:${group.id}:member:user:${member}`]);
    const twice = await grpc().listEvents({ cursor: after.at(-1)!.cursor });
    expect(twice.events).toEqual([]);
  });

  it("reads the System Log with GETs in the logs bucket, one call per ListEvents", async () => {
    const since = fake.requestLog().length;
    await grpc().listEvents({ startAt: timestampFromMs(startAt), pageSize: 4 });
    const calls = fake.requestLog().slice(since);
    expect(calls.map((c) => `${c.method} ${c.bucket} ${c.path.split("?")[0]}`)).toEqual(["GET logs /api/v1/logs"]);
    expect(calls[0]!.path).toMatch(/[?&]until=/);
  });

  it.each(transports.slice(1).map(([name]) => name))("answers %s clients with the same events as gRPC", async (name) => {
    const client = createClient(EventService, transports.find(([n]) => n === name)![1]());
    const viaJson = await readAll(client, { startAt: timestampFromMs(startAt), pageSize: 4 });
    expect(viaJson.flatMap((p) => p.events).map(describeEvent).slice(0, expected.length)).toEqual(expected);
    expect((await client.listEventFeeds({})).list.map((f) => f.id)).toEqual(["baton_feed_event"]);
    await expectCode(client.listEvents({ pageSize: 1001 }), Code.InvalidArgument, /^page_size: 1001 exceeds 1000/);
  });

  it("refuses bad input with the code and the field", async () => {
    await expectCode(grpc().listEvents({ pageSize: 1001 }), Code.InvalidArgument, /^page_size: 1001 exceeds 1000$/);
    await expectCode(grpc().listEvents({ eventFeedId: "okta_audit" }), Code.NotFound, /^event_feed_id: no event feed "okta_audit"/);
    await expectCode(grpc().listEvents({ cursor: "not a cursor" }), Code.InvalidArgument, /^cursor: /);
    await expectCode(grpc().listEvents({ cursor: "x".repeat(5000) }), Code.InvalidArgument, /^cursor: is 5000 bytes, more than 4096$/);
    const real = pages[0]!.cursor;
    const tampered = real.slice(0, -2) + (real.endsWith("A") ? "BB" : "AA");
    await expectCode(grpc().listEvents({ cursor: tampered }), Code.InvalidArgument, /^cursor: /);
    // An empty id is baton's legacy feed, which this one is.
    const named = await grpc().listEvents({ eventFeedId: "baton_feed_event", cursor: pages[1]!.cursor });
    const unnamed = await grpc().listEvents({ eventFeedId: "", cursor: pages[1]!.cursor });
    expect(named.events.map((e) => e.id)).toEqual(unnamed.events.map((e) => e.id));
    expect(named.events.length).toBeGreaterThan(0);
  });

  it("answers FAILED_PRECONDITION, asking for a full sync, for a position older than Okta's 90-day retention", async () => {
    const ninetyOneDays = Date.now() - 91 * 86_400_000;
    const since = fake.requestLog().length;
    await expectCode(grpc().listEvents({ startAt: timestampFromMs(ninetyOneDays) }), Code.FailedPrecondition, /^start_at: .*90-day retention.*full sync is needed/);
    // A cursor the connector signed long ago (same org and credential, so the same key).
    const key = derivePageTokenKey(fake.url, fake.tokens.super_admin);
    const old = encodePageToken(key, "event-feed\nbaton_feed_event", { p: ninetyOneDays, h: "", t: [] });
    await expectCode(grpc().listEvents({ cursor: old }), Code.FailedPrecondition, /^cursor: .*90-day retention.*full sync is needed/);
    // Refused before asking Okta.
    expect(fake.requestLog().slice(since)).toEqual([]);
  });

  it("an OAuth app whose token lacks okta.logs.read gets PERMISSION_DENIED naming the scope; asking for it with --okta-scopes reads the feed", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), "okta-connector-events-"));
    try {
      const client = fake.oauthClients.super_admin;
      const keyFile = join(keyDir, "key.pem");
      writeFileSync(keyFile, client.privateKeyPem, { mode: 0o600 });
      const oauth = (scopes: string) => ["--okta-client-id", client.clientId, "--okta-private-key-file", keyFile, "--okta-scopes", scopes];
      const readScopes = "okta.users.read,okta.groups.read,okta.apps.read,okta.roles.read";
      for (const [scopes, works] of [[readScopes, false], [`${readScopes},okta.logs.read`, true]] as const) {
        const oauthConnector = await startConnector(fake, { args: oauth(scopes) });
        try {
          const events = createClient(EventService, createGrpcTransport({ baseUrl: `http://${oauthConnector.process.address}` }));
          const call = events.listEvents({ startAt: timestampFromMs(startAt), pageSize: 4 });
          if (works) expect((await call).events.map(describeEvent)).toEqual(expected.slice(0, 4));
          else await expectCode(call, Code.PermissionDenied, /okta\.logs\.read/);
        } finally {
          await oauthConnector.stop();
        }
      }
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
