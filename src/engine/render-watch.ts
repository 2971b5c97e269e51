import type { WatchChange } from "../../gen/oktaconnector/v1/stream_pb.js";
import type { AppliedChange } from "./watch-store.js";
import type { WatchReport } from "./watch-to-snapshot.js";

/** At most this many resources are named on a change's line; the rest are counted. */
const NAMED = 3;

/**
 * One line per applied change, e.g.
 * `12:00:01 group.user_membership.add: group Engineering (grants +1 −0), 1 Okta call`.
 */
export function renderWatchChange(change: WatchChange, applied: AppliedChange, at: Date): string {
  const names = [
    ...change.types.map((t) => `every ${t.resourceTypeId}${t.more ? " (part)" : ""}`),
    ...change.resources.map((r) => (r.resource ? `${r.resourceId?.resourceType} ${r.resource.displayName || r.resourceId?.resource}` : `${r.resourceId?.resourceType} ${r.resourceId?.resource} removed`)),
  ];
  const shown = names.length > NAMED ? [...names.slice(0, NAMED), `${names.length - NAMED} more`] : names;
  const { upserted: up, removed: down } = applied;
  const counts = [`resources +${up.resources} −${down.resources}`, `entitlements +${up.entitlements} −${down.entitlements}`, `grants +${up.grants} −${down.grants}`].join(", ");
  const calls = Number(change.oktaCalls);
  return `${at.toISOString().slice(11, 19)} ${change.reason || "change"}: ${shown.join(", ")} (${counts}), ${calls} Okta call${calls === 1 ? "" : "s"}\n`;
}

export function renderWatchReport(report: WatchReport): string {
  const why = report.stopped === "duration" ? "the --for duration passed" : report.stopped === "interrupted" ? "interrupted" : `the connector asks for a full sync (${report.resync?.reason}): ${report.resync?.detail}`;
  const { upserted: up, removed: down } = report;
  return [
    `watch stopped: ${why}`,
    `snapshot: ${report.snapshot}`,
    `changes applied: ${report.changes} (resources +${up.resources} −${down.resources}, entitlements +${up.entitlements} −${down.entitlements}, grants +${up.grants} −${down.grants})`,
    `okta calls: ${report.oktaCalls}; reconnects: ${report.retries}`,
    "",
  ].join("\n");
}
