import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { connectorJsonTypes } from "../../src/protocol/index.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../fake-okta/index.js";
import { runCli, startCli } from "../engine/support/sync-cli.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";

/**
 * `okta-connector watch` and the Watch RPC on the real `okta-connector serve`: a snapshot made by
 * `sync` follows a change made in Okta while watch runs, the next watch continues from the stored
 * cursor, every protocol the server speaks carries the stream, and bad input exits 2 naming the flag.
 */
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;
let dir: string;

beforeAll(async () => {
  await buildCliIfStale();
  fake = await startFakeOkta({ seed: 23, users: 40 });
  truth = await fake.groundTruth();
  connector = await startConnector(fake, { token: fake.tokens.super_admin });
  dir = mkdtempSync(join(tmpdir(), "watch-cli-"));
}, 120_000);

afterAll(async () => {
  await connector?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const address = () => connector.process.address;
const grants = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT id FROM grants").pluck().all() as string[];
  } finally {
    db.close();
  }
};

async function sync(path: string, ...extra: string[]): Promise<{ watchCursor?: string }> {
  const result = await runCli(["sync", "--connector", address(), "--out", path, "--json", ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { watchCursor?: string };
}

describe("okta-connector watch", () => {
  it("applies a change made in Okta while it runs, printing it, and the next watch continues from the stored cursor", async () => {
    const path = join(dir, "watched.db");
    await sync(path);
    const group = truth.groups.find((g) => g.type === "OKTA_GROUP")!;
    const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
    const grantId = `group:${group.id}:member:user:${user.id}`;
    expect(grants(path)).not.toContain(grantId);

    const run = startCli(["watch", "--connector", address(), "--out", path, "--for", "5s", "--json"]);
    await new Promise((r) => setTimeout(r, 1_000));
    const response = await fetch(`${fake.url}/api/v1/groups/${group.id}/users/${user.id}`, { method: "PUT", headers: { authorization: `SSWS ${fake.tokens.super_admin}` } });
    expect(response.status).toBe(204);
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const lines = run.stdout().trim().split("\n").map((l) => JSON.parse(l) as { reason?: string; upserted?: { grants: number }; changes?: number; stopped?: string });
    expect(lines.some((l) => l.reason?.includes("group.user_membership.add"))).toBe(true);
    expect(lines.at(-1)).toMatchObject({ stopped: "duration" });
    expect(run.stderr()).toMatch(/watch stopped: the --for duration passed/);
    expect(grants(path)).toContain(grantId);

    // The stored cursor is past that change: a second watch applies nothing.
    const again = await runCli(["watch", "--connector", address(), "--out", path, "--for", "1500ms", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split("\n").at(-1)!)).toMatchObject({ stopped: "duration", changes: 0 });
  }, 60_000);

  it.each([
    ["no --out", ["watch", "--connector", "127.0.0.1:1"], /--out/],
    ["a bad --for", ["watch", "--connector", "127.0.0.1:1", "--out", "x.db", "--for", "5 minutes"], /--for.*"5 minutes" is not a duration/],
    ["no --connector", ["watch", "--out", "x.db"], /--connector/],
    ["a --sweep-interval under its bound", ["watch", "--connector", "127.0.0.1:1", "--out", "x.db", "--sweep-interval", "10ms"], /--sweep-interval.*must be from 1000 ms/],
  ])("exits 2 naming the flag: %s", async (_name, args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("refuses a snapshot a --paged sync made (it has no watch cursor), saying how to get one", async () => {
    const path = join(dir, "paged.db");
    const result = await runCli(["sync", "--connector", address(), "--out", path, "--paged"]);
    expect(result.code, result.stderr).toBe(0);
    const watched = await runCli(["watch", "--connector", address(), "--out", path, "--for", "1s"]);
    expect(watched.code).toBe(2);
    expect(watched.stderr).toMatch(/--paged sync, which gets no watch cursor: sync it again without --paged/);
  }, 60_000);
});

describe("Watch and admin roles", () => {
  it("a user's first admin role arrives as that user's roles read from its side, in a few calls, long before the timed re-read", async () => {
    const { watchCursor } = await sync(join(dir, "roles.db"));
    const user = truth.users.find((u) => u.status === "ACTIVE" && !truth.roleAssignments.some((r) => r.assigneeId === u.id))!;
    const abort = new AbortController();
    const client = createClient(ConnectorStreamService, createGrpcTransport({ baseUrl: `http://${address()}` }));
    const stream = client.watch({ cursor: watchCursor!, heartbeatInterval: durationFromMs(1_000), pollInterval: durationFromMs(250), sweepInterval: durationFromMs(3_600_000) }, { signal: abort.signal });
    setTimeout(() => {
      void fetch(`${fake.url}/api/v1/users/${user.id}/roles`, {
        method: "POST",
        headers: { authorization: `SSWS ${fake.tokens.super_admin}`, "content-type": "application/json" },
        body: JSON.stringify({ type: "REPORT_ADMIN" }),
      });
    }, 500);
    const deadline = Date.now() + 20_000;
    let found: { grants: string[]; calls: number; types: number } | undefined;
    for await (const message of stream) {
      if (Date.now() > deadline) break;
      if (message.event.case !== "change") continue;
      const held = message.event.value.principalGrants.find((p) => p.resourceTypeId === "role" && p.principal?.resource === user.id);
      if (!held) continue;
      found = { grants: held.grants.map((g) => g.id), calls: Number(message.event.value.oktaCalls), types: message.event.value.types.length };
      break;
    }
    abort.abort();
    expect(found?.grants).toEqual([`role:REPORT_ADMIN:assigned:user:${user.id}`]);
    // The user's own role list (and its groups, for memberships' sources): not every admin's and group's roles.
    expect(found!.calls).toBeLessThanOrEqual(4);
    expect(found!.types).toBe(0);
  }, 60_000);
});

describe("the Watch RPC over every protocol the server speaks", () => {
  const transports: [string, () => Transport][] = [
    ["gRPC", () => createGrpcTransport({ baseUrl: `http://${address()}` })],
    ["Connect JSON", () => createConnectTransport({ baseUrl: `http://${address()}`, httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
    ["gRPC-web JSON", () => createGrpcWebTransport({ baseUrl: `http://${address()}`, httpVersion: "2", useBinaryFormat: false, jsonOptions: { registry: connectorJsonTypes } })],
  ];

  it.each(transports)("%s: from a Sync summary's watch_cursor, a heartbeat with a cursor when nothing changed", async (_name, transport) => {
    const { watchCursor } = await sync(join(dir, `rpc-${_name.replace(/\W/g, "")}.db`));
    expect(watchCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const abort = new AbortController();
    const client = createClient(ConnectorStreamService, transport());
    for await (const message of client.watch({ cursor: watchCursor!, heartbeatInterval: durationFromMs(1_000) }, { signal: abort.signal })) {
      // The sync's own start may still be in the window; only a heartbeat ends the check.
      if (message.event.case !== "heartbeat") continue;
      expect(message.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(message.event.value.logPosition).toBeDefined();
      break;
    }
    abort.abort();
  }, 60_000);
});
