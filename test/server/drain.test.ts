import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ResourceTypesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorStreamService, type StreamResourcesResponse } from "../../gen/oktaconnector/v1/stream_pb.js";
import { createFakeConnector, createFakeSyncer, type FakeSyncer, startFakeConnectorServer } from "../support/fake-syncer.js";
import { createGrpcJsClient, serverStream, unary } from "../support/grpc-client.js";

/** Starts StreamResources over a slow syncer and resolves once the first batch has arrived. */
async function startSlowStream(syncer: FakeSyncer) {
  const served = await startFakeConnectorServer(createFakeConnector({ syncers: [syncer] }));
  const client = createGrpcJsClient(ConnectorStreamService, served.address);
  const call = serverStream(client, ConnectorStreamService.method.streamResources, { resourceTypeId: syncer.resourceType.id });
  const batches: StreamResourcesResponse[] = [];
  const messages = call[Symbol.asyncIterator]();
  const first = await messages.next();
  if (first.done === true) throw new Error("the stream ended before its first batch");
  batches.push(first.value);
  /** Reads the rest of the stream; resolves with the error it ended with, if any. */
  const readRest = async (): Promise<grpc.ServiceError | undefined> => {
    try {
      for (let next = await messages.next(); next.done !== true; next = await messages.next()) batches.push(next.value);
      return undefined;
    } catch (error) {
      return error as grpc.ServiceError;
    }
  };
  return { served, client, batches, readRest };
}

const idsOf = (batches: readonly StreamResourcesResponse[]): string[] => batches.flatMap((b) => b.resources.map((r) => r.id!.resource));

describe("graceful drain of createConnectorServer, seen by grpc-js", () => {
  it("lets a stream in flight at shutdown finish with every item, and closes only after it", async () => {
    const syncer = createFakeSyncer({ typeId: "user", trait: "user", pages: 5, pageSize: 3, delayMs: 100 });
    const { served, client, batches, readRest } = await startSlowStream(syncer);
    try {
      const events: string[] = [];
      const shutdown = served.server.shutdown(3000).then(() => events.push("server closed"));
      const failure = await readRest();
      events.push("stream ended");
      await shutdown;

      expect(failure).toBeUndefined();
      expect(idsOf(batches)).toEqual(syncer.allIds);
      expect(batches.at(-1)?.cursor).toBe("");
      expect(syncer.stats).toEqual({ listCalls: 5, aborted: 0 });
      expect(served.server.shutdownSignal.aborted).toBe(false);
      expect(events).toEqual(["stream ended", "server closed"]);
    } finally {
      client.close();
    }
  });

  it("fails a stream that outlives the grace period with UNAVAILABLE and stops calling the syncer", async () => {
    // 50 pages × 200 ms: far longer than the 300 ms grace.
    const syncer = createFakeSyncer({ typeId: "user", trait: "user", pages: 50, pageSize: 3, delayMs: 200 });
    const { served, client, batches, readRest } = await startSlowStream(syncer);
    try {
      const shutdown = served.server.shutdown(300);
      const failure = await readRest();
      await shutdown;

      expect(failure?.code).toBe(grpc.status.UNAVAILABLE);
      expect(failure?.details).toBe("server shutting down");
      expect(served.server.shutdownSignal.aborted).toBe(true);
      // The page being fetched when the grace ran out saw its signal abort, and none followed it.
      expect(syncer.stats.aborted).toBe(1);
      expect(syncer.stats.listCalls).toBe(batches.length + 1);
      expect(idsOf(batches)).toEqual(syncer.allIds.slice(0, batches.length * 3));
    } finally {
      client.close();
    }
  });

  it("refuses new connections once shutdown has begun, while a stream is still draining", async () => {
    const syncer = createFakeSyncer({ typeId: "user", trait: "user", pages: 5, pageSize: 3, delayMs: 100 });
    const { served, client, batches, readRest } = await startSlowStream(syncer);
    const late = createGrpcJsClient(ResourceTypesService, served.address);
    try {
      const shutdown = served.server.shutdown(3000);
      const rest = readRest();
      let refused: grpc.ServiceError | undefined;
      try {
        await unary(late, ResourceTypesService.method.listResourceTypes, {});
      } catch (error) {
        refused = error as grpc.ServiceError;
      }
      // The refusal happened during the drain: the stream was still running and then finished whole.
      expect(await rest).toBeUndefined();
      await shutdown;

      expect(refused?.code).toBe(grpc.status.UNAVAILABLE);
      expect(idsOf(batches)).toEqual(syncer.allIds);
    } finally {
      late.close();
      client.close();
    }
  });
});
