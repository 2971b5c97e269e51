import { assert, assertEqual, type CheckRecorder } from "./support/checks.js";
import { type EventsReport, runEventsRead } from "./support/harness.js";

/**
 * baton-sdk's own connector client reads the event feed (issue 16 item 6, the feed half): after the
 * provisioning session's Grant and Revoke, ListEventFeeds names the System Log feed under baton's
 * legacy id, and ListEvents from the session's start, with no feed id (the legacy feed, as baton-sdk
 * asks), returns exactly one CreateGrant and one CreateRevoke of the grant the session's syncs held,
 * by its sync id. The repeated Grant and Revoke changed nothing in Okta, so they log nothing.
 */
export async function checkEventFeed(checks: CheckRecorder, options: { label: string; address: string; startAt: Date; grantId: string }): Promise<void> {
  const { label, grantId } = options;
  // Small pages, so the cursor baton-sdk hands back is exercised too.
  let read: EventsReport | undefined;
  const completed = await checks.check(`${label}: baton-sdk's client reads the event feed (ListEventFeeds, ListEvents with its cursor) to the end`, async () => {
    const run = await runEventsRead({ address: options.address, startAt: options.startAt, pageSize: 1 });
    assert(run.report !== undefined && run.exitCode === 0, `batonsync -events exited ${run.exitCode}: ${run.report?.error ?? ""} ${run.stderr.slice(-500)}`);
    read = run.report;
  });
  if (!completed || !read) return;
  const report = read;
  await checks.check(`${label}: ListEventFeeds names one feed, baton_feed_event, with grant, revoke, change and usage events`, () => {
    assertEqual(report.feeds.map((f) => f.id).join(","), "baton_feed_event", "feed ids");
    assertEqual(
      [...(report.feeds[0]?.types ?? [])].sort().join(","),
      ["EVENT_TYPE_CREATE_GRANT", "EVENT_TYPE_CREATE_REVOKE", "EVENT_TYPE_RESOURCE_CHANGE", "EVENT_TYPE_USAGE"].join(","),
      "supported event types",
    );
  });
  await checks.check(`${label}: the feed holds one grant and then one revoke of ${grantId}, the id the syncs held`, () => {
    const lines = report.events.map((e) => e.line).filter((line) => line.endsWith(` ${grantId}`));
    assertEqual(lines.join(" | "), `grant ${grantId} | revoke ${grantId}`, "events for the provisioned grant");
    assertEqual(new Set(report.events.map((e) => e.id)).size, report.events.length, "distinct event ids");
    assert(report.pages.slice(0, -1).every((p) => p.hasMore) && report.pages.at(-1)?.hasMore === false, `has_more runs to false: ${JSON.stringify(report.pages)}`);
  });
}
