import { createIdFactory } from "../core/okta-ids.js";
import { createPrng } from "../core/prng.js";
import { COMPANIES } from "../data/names.js";
import type { OrgData, OrgInfo } from "../org/types.js";
import { generateApiTokens } from "./api-tokens.js";
import { assignApps, generateApps } from "./apps.js";
import { generateDevices } from "./devices.js";
import { factorEligibility } from "./factors.js";
import { generateGroupRules } from "./group-rules.js";
import { generateGroups } from "./groups.js";
import { generateRoles } from "./roles.js";
import { generateServiceApps } from "./service-apps.js";
import { generateUsers, type GenerateContext } from "./users.js";

/** The generator's fixed "now" (2025-06-01T00:00:00Z): no generated timestamp reads the wall clock. */
export const GENERATED_AT = Date.UTC(2025, 5, 1);
const YEAR_MS = 365 * 86_400_000;

/** How big an org to generate; see {@link resolveOrgSizes} for the defaults. */
export interface OrgSizes {
  users: number;
  /** Groups besides Everyone. */
  groups: number;
  apps: number;
  /** Target memberships, Everyone not counted. */
  memberships: number;
  customRoles: number;
  resourceSets: number;
  /** Devices registered with Okta, each enrolled by up to two users. */
  devices: number;
  /** SSWS API tokens, owned by the admins allowed to create them. */
  apiTokens: number;
  /** OAuth API Services apps (client credentials), some holding admin roles. */
  serviceApps: number;
}

/**
 * Fills in sizes not given: 200 users; 30 groups up to 3,000 users, then one per 100 users (max 5,000);
 * 15 apps up to 1,000 users, then 15 + users/2,000; ten memberships per user (so 100,000 users have about
 * a million) but at most 12% of the users per group on average; 3 custom roles and 3 resource sets; one device per four users; 6 API tokens; 4 service apps. `empty` makes an org with only the Everyone group.
 */
export function resolveOrgSizes(given: Partial<OrgSizes> & { empty?: boolean }): OrgSizes {
  if (given.empty) return { users: 0, groups: 0, apps: 0, memberships: 0, customRoles: 0, resourceSets: 0, devices: 0, apiTokens: 0, serviceApps: 0 };
  const users = given.users ?? 200;
  const groups = given.groups ?? Math.min(5000, Math.max(30, Math.round(users / 100)));
  return {
    users,
    groups,
    apps: given.apps ?? (users <= 1000 ? 15 : Math.round(15 + users / 2000)),
    // Ten per user, but no more than an average group of 12% of the users, so small orgs keep small groups.
    memberships: given.memberships ?? Math.round(Math.min(users * 10, users * groups * 0.12)),
    customRoles: given.customRoles ?? 3,
    resourceSets: given.resourceSets ?? 3,
    devices: given.devices ?? Math.round(users / 4),
    apiTokens: given.apiTokens ?? 6,
    serviceApps: given.serviceApps ?? 4,
  };
}

/**
 * Generates an org. Each stage draws from its own seeded stream, so the same seed and sizes give the same
 * org byte for byte.
 */
export function generateOrg(seed: number, sizes: OrgSizes): OrgData {
  const usedIds = new Set<string>();
  const stage = (label: string, info: OrgInfo): GenerateContext => {
    const prng = createPrng(seed, label);
    return { prng, ids: createIdFactory(prng.fork("ids"), usedIds), info, now: GENERATED_AT };
  };
  const infoPrng = createPrng(seed, "org");
  const infoIds = createIdFactory(infoPrng.fork("ids"), usedIds);
  const company = infoPrng.pick(COMPANIES);
  const info: OrgInfo = {
    id: infoIds.mint("00o"),
    companyName: company.name,
    subdomain: company.slug,
    domain: `${company.slug}.example`,
    website: `https://www.${company.slug}.example`,
    created: GENERATED_AT - 5 * YEAR_MS - infoPrng.int(YEAR_MS),
    userTypeId: infoIds.mint("oty"),
    seed,
  };
  const users = generateUsers(stage("users", info), sizes.users);
  const { apps, importers } = generateApps(stage("apps", info), sizes.apps);
  const groups = generateGroups(stage("groups", info), users.length, importers, { groups: sizes.groups, memberships: sizes.memberships });
  assignApps(stage("assignments", info), apps, users, groups);
  const roles = generateRoles(stage("roles", info), users, groups, apps, { customRoles: sizes.customRoles, resourceSets: sizes.resourceSets });
  // Last, with its own stream: adding devices changed no other stage's data.
  const devices = generateDevices(stage("devices", info), users, sizes.devices);
  // After the roles (tokens belong to admins), with their own stream: no other stage's data changed.
  // Not "api-tokens": that stream mints the simulator's own SSWS credentials (http/credentials.ts).
  const apiTokens = generateApiTokens(stage("api-token-metadata", info), users, roles.roleAssignments, sizes.apiTokens);
  // Last, with its own stream too: service apps and their roles are appended to the apps and roles
  // (after the tokens, whose owners are drawn from the role assignments).
  apps.push(...generateServiceApps(stage("service-apps", info), apps.length, sizes.serviceApps, roles));
  // After everything else, with its own stream: rules only add memberships their expressions imply.
  const groupRules = generateGroupRules(stage("group-rules", info), users, groups);
  // Factors are derived per user on demand (factors.ts); only who may have them is kept.
  return { info, users, groups, apps, ...roles, devices, apiTokens, groupRules, factorEligible: factorEligibility(users) };
}
