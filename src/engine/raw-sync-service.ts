import { clone, createFileRegistry, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { type FieldDescriptorProto, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { type CallOptions, createClient, type Transport } from "@connectrpc/connect";
import {
  ConnectorStreamService,
  file_oktaconnector_v1_stream,
  type SyncBatch,
  type SyncRequestSchema,
  type SyncStarted,
  type SyncSummary,
} from "../../gen/oktaconnector/v1/stream_pb.js";

/** The SyncBatch fields that carry c1 items, read as bytes by RawConnectorStreamService. */
export const RAW_ITEM_FIELDS = ["resources", "entitlements", "grants"] as const;

/**
 * ConnectorStreamService as the reference engine reads it: the same methods, wire and paths, but
 * SyncBatch's resources, entitlements and grants declared `repeated bytes`. A repeated message field
 * and a repeated bytes field have the same encoding, so each item arrives as the exact bytes the
 * connector sent: the snapshot stores them as they are (its `data` column) instead of decoding and
 * encoding every item again. Built at start-up from the generated descriptor, so it cannot drift from
 * the proto.
 */
export const RawConnectorStreamService: DescService = rawStreamService();

function rawStreamService(): DescService {
  const file = clone(FileDescriptorProtoSchema, file_oktaconnector_v1_stream.proto);
  const batch = file.messageType.find((m) => m.name === "SyncBatch");
  if (!batch) throw new Error("oktaconnector/v1/stream.proto has no SyncBatch");
  for (const name of RAW_ITEM_FIELDS) {
    const field: FieldDescriptorProto | undefined = batch.field.find((f) => f.name === name);
    if (!field) throw new Error(`SyncBatch has no field ${name}`);
    field.type = FieldDescriptorProto_Type.BYTES;
    field.typeName = "";
  }
  const dependencies = new Map(file_oktaconnector_v1_stream.dependencies.map((d) => [d.proto.name, d]));
  const registry = createFileRegistry(file, (name) => dependencies.get(name));
  const service = registry.getService(ConnectorStreamService.typeName);
  if (!service) throw new Error(`no ${ConnectorStreamService.typeName} in the raw descriptor`);
  return service;
}

/** A SyncBatch read through RawConnectorStreamService: each item is its encoding. */
export interface RawSyncBatch extends Omit<SyncBatch, "resources" | "entitlements" | "grants"> {
  readonly resources: Uint8Array[];
  readonly entitlements: Uint8Array[];
  readonly grants: Uint8Array[];
}

export interface RawSyncResponse {
  readonly event:
    | { case: "started"; value: SyncStarted }
    | { case: "batch"; value: RawSyncBatch }
    | { case: "summary"; value: SyncSummary }
    | { case: undefined; value?: undefined };
}

/** `Sync` over RawConnectorStreamService. */
export type RawSync = (request: MessageInitShape<typeof SyncRequestSchema>, options?: CallOptions) => AsyncIterable<RawSyncResponse>;

export function createRawSync(transport: Transport): RawSync {
  const client = createClient(RawConnectorStreamService, transport) as unknown as { sync: RawSync };
  return (request, options) => client.sync(request, options);
}
