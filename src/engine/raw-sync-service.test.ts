import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorStreamService, SyncPhase, SyncResponseSchema } from "../../gen/oktaconnector/v1/stream_pb.js";
import { RawConnectorStreamService, type RawSyncResponse } from "./raw-sync-service.js";

const group = create(ResourceSchema, { id: { resourceType: "group", resource: "00g1" }, displayName: "Engineering" });
const member = create(EntitlementSchema, { id: "group:00g1:member", resource: group, slug: "member" });
const grant = create(GrantSchema, { id: "group:00g1:member:user:00u1", entitlement: member, principal: { id: { resourceType: "user", resource: "00u1" } } });

describe("RawConnectorStreamService", () => {
  const rawSync = RawConnectorStreamService.methods.find((m) => m.localName === "sync")!;

  it("has Sync at the same path as the generated service", () => {
    expect(RawConnectorStreamService.typeName).toBe(ConnectorStreamService.typeName);
    expect(rawSync.name).toBe(ConnectorStreamService.method.sync.name);
  });

  it("reads a batch's items as the exact bytes the connector encoded, and everything else as before", () => {
    const sent = create(SyncResponseSchema, {
      event: { case: "batch", value: { phase: SyncPhase.GRANTS, resources: [group], entitlements: [member], grants: [grant, grant], resumeCursor: "c", progress: { grants: 2n } } },
    });
    const read = fromBinary(rawSync.output, toBinary(SyncResponseSchema, sent)) as unknown as RawSyncResponse;
    if (read.event.case !== "batch") throw new Error("not a batch");
    const batch = read.event.value;
    expect(batch.resources).toEqual([toBinary(ResourceSchema, group)]);
    expect(batch.entitlements).toEqual([toBinary(EntitlementSchema, member)]);
    expect(batch.grants).toEqual([toBinary(GrantSchema, grant), toBinary(GrantSchema, grant)]);
    expect([batch.phase, batch.resumeCursor, batch.progress?.grants]).toEqual([SyncPhase.GRANTS, "c", 2n]);
  });
});
