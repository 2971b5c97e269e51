import { CATALOG_APPS, CUSTOM_APP_KINDS, PROVISIONING_FEATURES } from "../data/app-catalog.js";
import type { AppRecord, GroupRecord, UserRecord } from "../org/types.js";
import { asciiSlug, type GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;

/** Apps and the ones APP_GROUPs may be imported from. */
export interface GeneratedApps {
  apps: AppRecord[];
  importers: AppRecord[];
}

/**
 * Generates `count` apps without assignments: the catalog first (SAML, OIDC, bookmark, SWA; SCIM
 * provisioning features on some), then custom apps. About one in eight is INACTIVE, and always the one
 * at 60% of the list when there are five or more.
 */
export function generateApps(ctx: GenerateContext, count: number): GeneratedApps {
  const { prng, info } = ctx;
  const apps: AppRecord[] = [];
  const importers: AppRecord[] = [];
  const forcedInactive = count >= 5 ? Math.floor(count * 0.6) : -1;
  for (let i = 0; i < count; i++) {
    const catalog = CATALOG_APPS[i];
    const kind = CUSTOM_APP_KINDS[i % CUSTOM_APP_KINDS.length] as (typeof CUSTOM_APP_KINDS)[number];
    const label = catalog ? catalog.label : `${kind.labelPrefix} ${Math.floor(i / CUSTOM_APP_KINDS.length) + 1}`;
    const custom = !catalog && (kind.name === "customsaml" || kind.name === "autologin");
    const name = catalog ? catalog.name : custom ? `${info.subdomain}_${asciiSlug(label)}_1` : kind.name;
    const signOnMode = catalog ? catalog.signOnMode : kind.signOnMode;
    const provisioning = catalog ? catalog.provisioning : signOnMode === "SAML_2_0" && prng.chance(0.5);
    const features = provisioning ? [...PROVISIONING_FEATURES] : [];
    if (name === "scim2testapp" || (!catalog && provisioning)) features.push("SCIM_PROVISIONING");
    const created = info.created + prng.int(Math.max(1, ctx.now - info.created - DAY_MS));
    const id = ctx.ids.mint("0oa");
    const app: AppRecord = {
      index: i,
      id,
      name,
      label,
      status: i === forcedInactive || prng.chance(0.12) ? "INACTIVE" : "ACTIVE",
      signOnMode,
      features,
      created,
      lastUpdated: created + prng.int(ctx.now - created),
      url: catalog ? catalog.url : `https://${asciiSlug(label)}.${info.domain}`,
      clientId: signOnMode === "OPENID_CONNECT" ? id : null,
      applicationType: signOnMode === "OPENID_CONNECT" ? "web" : null,
      directUsers: new Map(),
      groupAssignments: new Map(),
    };
    apps.push(app);
    if (catalog?.importsGroups) importers.push(app);
  }
  return { apps, importers };
}

/**
 * Assigns users and groups to apps. Everyone goes to the second and fifth apps (Slack and the wiki in the
 * catalog); other apps get up to three groups (APP_GROUPs to the app they came from) and a share of
 * direct users, some of whom also have access through a group. DEPROVISIONED users get no direct
 * assignments, since deactivation removes them (okta-api.md §1.1).
 */
export function assignApps(ctx: GenerateContext, apps: readonly AppRecord[], users: readonly UserRecord[], groups: readonly GroupRecord[]): void {
  const { prng } = ctx;
  const everyone = groups[0];
  const assignable = groups.filter((g) => g.type !== "BUILT_IN");
  for (const app of apps) {
    let priority = 0;
    const assignGroup = (group: GroupRecord): void => {
      if (app.groupAssignments.has(group.id)) return;
      const created = Math.max(app.created, group.created) + prng.int(DAY_MS * 30);
      app.groupAssignments.set(group.id, { groupId: group.id, priority: priority++, created, lastUpdated: created, profile: groupAssignmentProfile(app, prng.int(3)) });
    };
    if (everyone && (app.index === 1 || app.index === 4)) assignGroup(everyone);
    for (const group of assignable) if (group.sourceAppId === app.id && prng.chance(0.7)) assignGroup(group);
    const groupCount = assignable.length > 0 ? prng.range(0, 3) : 0;
    for (let k = 0; k < groupCount; k++) assignGroup(prng.pick(assignable));

    if (users.length === 0 || prng.chance(0.12)) continue;
    const share = 0.002 + prng.next() * 0.05;
    const wanted = Math.min(users.length, Math.max(prng.range(1, 3), Math.round(users.length * share)));
    for (const index of prng.sample(users.length, wanted)) {
      const user = users[index] as UserRecord;
      if (user.status === "DEPROVISIONED") continue;
      const created = Math.max(app.created, user.created) + prng.int(DAY_MS * 30);
      app.directUsers.set(index, { created, lastUpdated: created, userName: directUserName(app, user), profile: directProfile(app, prng.int(3)) });
    }
  }
}

function directUserName(app: AppRecord, user: UserRecord): string | null {
  const github = user.profile["githubUsername"];
  if (app.name === "githubcloud" && typeof github === "string") return github;
  return null;
}

function directProfile(app: AppRecord, roll: number): Record<string, unknown> {
  if (app.name === "amazon_aws") return { samlRoles: [["Developer", "ReadOnly", "Admin"][roll]] };
  if (app.name === "salesforce") return { profile: ["Standard User", "Sales User", "System Administrator"][roll] };
  return {};
}

function groupAssignmentProfile(app: AppRecord, roll: number): Record<string, unknown> {
  if (app.name === "amazon_aws") return { samlRoles: [["Developer", "ReadOnly", "Admin"][roll]] };
  if (app.name === "salesforce") return { profile: ["Standard User", "Sales User", "Chatter Free User"][roll] };
  return {};
}
