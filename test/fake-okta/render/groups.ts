import type { AppRecord, GroupRecord } from "../org/types.js";
import { iso, link } from "./json-shapes.js";

const LOGO_BASE = "https://ok12static.oktacdn.com/assets/img/logos/groups/odyssey";

/** What `expand=stats` and `expand=app` add under `_embedded`. */
export interface GroupEmbeds {
  stats?: { usersCount: number; appsCount: number; groupPushMappingsCount: number };
  app?: AppRecord;
}

/** Renders a group as Okta's Group object; APP_GROUPs also carry `source.id` and `_links.source`. */
export function renderGroup(group: GroupRecord, base: string, embeds: GroupEmbeds = {}): Record<string, unknown> {
  const path = `/api/v1/groups/${group.id}`;
  const out: Record<string, unknown> = {
    id: group.id,
    created: iso(group.created),
    lastUpdated: iso(group.lastUpdated),
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
    objectClass: group.objectClass,
    type: group.type,
    profile: group.profile,
  };
  if (group.sourceAppId) out["source"] = { id: group.sourceAppId };
  const links: Record<string, unknown> = {
    logo: [
      { name: "medium", href: `${LOGO_BASE}/okta-medium.30ce6d4085dff29412984e4c191bc874.png`, type: "image/png" },
      { name: "large", href: `${LOGO_BASE}/okta-large.c3cb8cda8ae0add1b4fe928f5844dbe3.png`, type: "image/png" },
    ],
    users: link(base, `${path}/users`),
    apps: link(base, `${path}/apps`),
  };
  if (group.sourceAppId) links["source"] = link(base, `/api/v1/apps/${group.sourceAppId}`);
  out["_links"] = links;
  const embedded: Record<string, unknown> = {};
  if (embeds.stats) embedded["stats"] = { ...embeds.stats, _links: { self: link(base, `${path}/stats`) } };
  if (embeds.app) embedded["app"] = { id: embeds.app.id, name: embeds.app.name, label: embeds.app.label, signOnMode: embeds.app.signOnMode };
  if (Object.keys(embedded).length > 0) out["_embedded"] = embedded;
  return out;
}
