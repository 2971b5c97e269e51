import { simError } from "../core/errors.js";
import { evaluateFilter, filterTerms, readPath } from "../core/scim-filter.js";
import { pageLinks, parseLimit, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { LogEventRecord } from "../org/system-log.js";
import { iso, link } from "../render/json-shapes.js";
import { renderLogEvent } from "../render/log-events.js";
import { ACCESS, ok, parseExpression } from "./common.js";

const DAY_MS = 86_400_000;

/** The System Log and the org's own settings. */
export const logRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/logs", bucket: "logs", access: ACCESS.logsRead,
    handle: (ctx) => listLogs(ctx),
  },
  {
    method: "GET", pattern: "/api/v1/org", bucket: "other", access: ACCESS.orgRead,
    handle(ctx) {
      const info = ctx.org.info;
      return ok({
        id: info.id,
        companyName: info.companyName,
        subdomain: info.subdomain,
        website: info.website,
        status: "ACTIVE",
        created: iso(info.created),
        lastUpdated: iso(info.created),
        country: "United States",
        city: "San Francisco",
        state: "CA",
        address1: "100 Example Way",
        postalCode: "94105",
        phoneNumber: "+1-555-0100",
        endUserSupportHelpURL: `${info.website}/help`,
        supportPhoneNumber: "+1-555-0199",
        _links: { self: link(ctx.base, "/api/v1/org"), contacts: link(ctx.base, "/api/v1/org/contacts"), preferences: link(ctx.base, "/api/v1/org/preferences") },
      });
    },
  },
];

/**
 * `GET /api/v1/logs` (okta-api.md §1.5). Without `until` it is a polling request: ascending in persistence
 * order (an event that became visible late comes after those seen before it, whatever its `published`), and
 * the `next` link is always present, even on an empty page. With `until` (or DESCENDING) it is bounded,
 * ordered by `published`, and the last page has no `next`. The polling cursor is `<persistence ms>_<position>`, the bounded one `<published ms>_<seq>`;
 * `after` wins over `since`. Events older than the retention are gone; a `since` more than twice the
 * retention back (Okta: 180 days against 90) is 400 E0000053.
 */
function listLogs(ctx: RequestContext) {
  const { query, org } = ctx;
  const limit = parseLimit(query, { default: 100, max: 1000 });
  const now = org.now();
  const untilMs = optionalTime(query.get("until"), "until");
  const sinceMs = optionalTime(query.get("since"), "since") ?? (untilMs ?? now) - 7 * DAY_MS;
  const retentionMs = org.log.visibility().retentionMs;
  if (query.get("after") === null && sinceMs < now - 2 * retentionMs) {
    throw simError("E0000053", { causes: [`since: '${query.get("since")}' is more than ${Math.round((2 * retentionMs) / DAY_MS)} days ago; the System Log keeps ${Math.round(retentionMs / DAY_MS)} days`] });
  }
  const order = query.get("sortOrder") ?? "ASCENDING";
  if (order !== "ASCENDING" && order !== "DESCENDING") throw simError("E0000001", { detail: "sortOrder", causes: [`sortOrder: '${order}' is not ASCENDING or DESCENDING`] });
  const after = query.get("after");
  const afterPosition = after === null ? null : parseCursor(after);

  let predicate: (event: LogEventRecord) => boolean = () => true;
  const filter = query.get("filter");
  if (filter !== null) {
    const node = parseExpression(filter, "E0000053");
    if (filterTerms(node).some((t) => t.attr === "published")) throw simError("E0000053", { causes: ["filter: 'published' cannot be filtered on; use since and until"] });
    predicate = (event) => evaluateFilter(node, (attr) => readPath(renderLogEvent(event), attr));
  }
  const q = query.get("q");
  if (q !== null) {
    const words = q.toLowerCase().split(/\s+/).filter((w) => w !== "");
    if (words.some((w) => w.length > 40) || words.length > 10) throw simError("E0000001", { detail: "q", causes: ["q: at most 10 keywords of at most 40 characters each"] });
    const previous = predicate;
    predicate = (event) => previous(event) && words.every((w) => keywordText(event).includes(w));
  }

  const polling = untilMs === null && order === "ASCENDING";
  const visible = org.log.events();
  // Polling reads persistence order; a bounded query reads publish order (seq order, as the clock never runs backwards).
  const events = polling ? visible : [...visible].sort((a, b) => a.seq - b.seq);
  const inRange = (e: LogEventRecord): boolean =>
    (afterPosition === null ? e.published >= sinceMs : (polling ? e.position : e.seq) > afterPosition) && (untilMs === null || e.published < untilMs) && predicate(e);
  const ordered = function* () {
    if (order === "ASCENDING") {
      for (const e of events) if (inRange(e)) yield e;
    } else {
      for (let i = events.length - 1; i >= 0; i--) if (inRange(events[i] as LogEventRecord)) yield events[i] as LogEventRecord;
    }
  };
  const page = takePage(ordered(), limit);
  const last = page.items[page.items.length - 1];
  let next: string | null = null;
  // A bounded query pages in publish order, so its cursor counts seq; polling counts persistence position.
  const cursorOf = (e: LogEventRecord): string => (polling ? `${e.visibleAt}_${e.position}` : `${e.published}_${e.seq}`);
  if (page.more && last) next = cursorOf(last);
  else if (polling) next = last ? cursorOf(last) : after ?? `${now}_${org.log.lastPosition()}`;
  const headers = { Link: pageLinks(ctx, next, limit) };
  return ok(page.items.map(renderLogEvent), headers);
}

function optionalTime(raw: string | null, name: string): number | null {
  if (raw === null || raw === "") return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw simError("E0000001", { detail: name, causes: [`${name}: '${raw}' is not an ISO-8601 timestamp`] });
  return ms;
}

function parseCursor(after: string): number {
  const match = /^(\d+)_(\d+)$/.exec(after);
  if (!match) throw simError("E0000001", { detail: "after", causes: [`after: '${after}' is not a valid cursor`] });
  return Number(match[2]);
}

function keywordText(event: LogEventRecord): string {
  return [event.eventType, event.displayMessage, event.actor.displayName, event.actor.alternateId, ...event.targets.flatMap((t) => [t.displayName, t.alternateId, t.id])]
    .join(" ")
    .toLowerCase();
}

