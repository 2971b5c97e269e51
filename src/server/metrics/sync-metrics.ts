import { ConnectorStreamService, SyncBatchSchema, type SyncResponse, SyncPhase } from "../../../gen/oktaconnector/v1/stream_pb.js";
import type { ConnectorMetrics } from "./connector-metrics.js";

const PHASE_LABEL: Readonly<Record<number, string>> = {
  [SyncPhase.RESOURCES]: "resources",
  [SyncPhase.ENTITLEMENTS]: "entitlements",
  [SyncPhase.GRANTS]: "grants",
};

/**
 * The batch's item fields. A batch sent to a binary client carries its items pre-encoded, as unknown
 * fields of these numbers (protocol/encoded-items.ts), with the repeated fields themselves empty.
 */
const ITEM_FIELDS: ReadonlySet<number> = new Set([SyncBatchSchema.field.resources.number, SyncBatchSchema.field.entitlements.number, SyncBatchSchema.field.grants.number]);

/** True for `oktaconnector.v1.ConnectorStreamService/Sync`, the one stream whose batches carry phase progress. */
export function isSyncMethod(service: string, method: string): boolean {
  return service === ConnectorStreamService.typeName && method === ConnectorStreamService.method.sync.name;
}

/**
 * Reads phase progress off the Sync messages as they are sent, so the protocol layer needs no metrics
 * hook: each batch adds its items under its resource type and phase.
 */
export function recordSyncMessage(metrics: ConnectorMetrics, message: unknown): void {
  const event = (message as Partial<SyncResponse> | undefined)?.event;
  if (event?.case !== "batch") return;
  const batch = event.value;
  const phase = PHASE_LABEL[batch.phase];
  if (phase === undefined) return;
  const preEncoded = (batch.$unknown ?? []).filter((field) => ITEM_FIELDS.has(field.no)).length;
  const items = batch.resources.length + batch.entitlements.length + batch.grants.length + preEncoded;
  metrics.sync.items.inc({ resource_type: batch.progress?.resourceTypeId ?? "", phase }, items);
  metrics.sync.lastBatch.setToCurrentTime();
}
