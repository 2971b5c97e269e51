import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { type FakeOkta, startFakeOkta } from "../fake-okta/index.js";
import { createGrpcJsClient, serverStream } from "../support/grpc-client.js";
import { buildCliIfStale } from "../support/serve-process.js";
import { type RunningConnector, startConnector } from "../support/sync-helpers.js";
import { readLastRun, runCli, startCli, waitForBatches } from "./support/sync-cli.js";

/**
 * Resume cursors are checked by the connector: a tampered one is INVALID_ARGUMENT; one made by a
 * connector with other sync flags, or for another org, is FAILED_PRECONDITION. Calls go through
 * grpc-js, an independent gRPC client; the last case drives the real `sync --resume`.
 */
let fake: FakeOkta;
let otherOrg: FakeOkta;
let plain: RunningConnector;
let customRoles: RunningConnector;
let foreign: RunningConnector;
let cursor: string;
let dir: string;

/** The first batch's resume_cursor from `Sync` on `address`; the stream is cancelled after it. */
async function firstCursor(address: string): Promise<string> {
  const client = createGrpcJsClient(ConnectorStreamService, address);
  const call = serverStream(client, ConnectorStreamService.method.sync, { batchSize: 10 });
  try {
    for await (const response of call) {
      if (response.event.case === "batch") return response.event.value.resumeCursor;
    }
    throw new Error("Sync ended without a batch");
  } finally {
    call.cancel();
    client.close();
  }
}

/** The status a Sync call with this cursor ends with (or OK). */
async function syncStatus(address: string, resumeCursor: string): Promise<{ code: grpc.status; details: string }> {
  const client = createGrpcJsClient(ConnectorStreamService, address);
  const call = serverStream(client, ConnectorStreamService.method.sync, { resumeCursor, batchSize: 10 });
  try {
    for await (const _response of call) {
      // A valid cursor streams on; the first message is enough to know it was accepted.
      return { code: grpc.status.OK, details: "" };
    }
    return { code: grpc.status.OK, details: "" };
  } catch (error) {
    const { code, details } = error as grpc.ServiceError;
    // connect-node percent-encodes grpc-message with encodeURIComponent, and grpc-js decodes it with
    // decodeURI, which leaves reserved characters such as ":" and "," encoded.
    return { code, details: decodeURIComponent(details) };
  } finally {
    call.cancel();
    client.close();
  }
}

beforeAll(async () => {
  await buildCliIfStale();
  dir = mkdtempSync(join(tmpdir(), "engine-cursor-"));
  [fake, otherOrg] = await Promise.all([startFakeOkta({ seed: 31, users: 300 }), startFakeOkta({ seed: 97, users: 300 })]);
  // One at a time: three Node processes starting at once can take longer than serve's start timeout.
  plain = await startConnector(fake, { token: fake.tokens.super_admin });
  customRoles = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true } });
  foreign = await startConnector(otherOrg, { token: otherOrg.tokens.super_admin });
  cursor = await firstCursor(plain.process.address);
}, 120_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), customRoles?.stop(), foreign?.stop()]);
  await Promise.all([fake?.close(), otherOrg?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("Sync resume_cursor checks", () => {
  it("accepts its own cursor", async () => {
    expect(await syncStatus(plain.process.address, cursor)).toEqual({ code: grpc.status.OK, details: "" });
  });

  it("rejects a cursor with an altered byte as INVALID_ARGUMENT", async () => {
    // Position 8 lies in the integrity tag, so the payload still parses and only the tag check fails.
    const tampered = cursor.slice(0, 8) + (cursor[8] === "A" ? "B" : "A") + cursor.slice(9);
    const status = await syncStatus(plain.process.address, tampered);
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.details).toMatch(/^resume_cursor: .*integrity check/);
  });

  it("rejects a truncated cursor as INVALID_ARGUMENT", async () => {
    const status = await syncStatus(plain.process.address, cursor.slice(0, cursor.length - 7));
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("rejects a cursor of a connector started with other sync flags (--sync-custom-roles) as FAILED_PRECONDITION", async () => {
    const status = await syncStatus(customRoles.process.address, cursor);
    expect(status.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(status.details).toMatch(/different configuration/);
  });

  it("rejects a cursor of another org as FAILED_PRECONDITION", async () => {
    const status = await syncStatus(foreign.process.address, cursor);
    expect(status.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(status.details).toMatch(/another Okta org/);
  });

  it("makes `sync --resume` against a connector with other flags exit 1 without retrying, keeping the run resumable", async () => {
    const path = join(dir, "flags.db");
    const cli = startCli(["sync", "--connector", plain.process.address, "--out", path, "--batch-size", "20"]);
    await waitForBatches(path, 5, cli);
    cli.child.kill("SIGKILL");
    await cli.exited;
    const interrupted = readLastRun(path)!;

    const refused = await runCli(["sync", "--connector", customRoles.process.address, "--out", path, "--resume"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^okta-connector: \[failed_precondition\] resume_cursor: was made with a different configuration/m);
    expect(refused.stderr).not.toMatch(/retry/);
    expect(readLastRun(path)).toMatchObject({ id: interrupted.id, status: "failed", last_cursor: interrupted.last_cursor, batches: interrupted.batches });

    const resumed = await runCli(["sync", "--connector", plain.process.address, "--out", path, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readLastRun(path)).toMatchObject({ id: interrupted.id, status: "complete", sync_id: interrupted.sync_id });
  }, 180_000);
});
