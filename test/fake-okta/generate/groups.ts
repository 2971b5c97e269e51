import { createMemberSet } from "../core/member-set.js";
import type { Prng } from "../core/prng.js";
import { DEPARTMENTS, TEAM_WORDS } from "../data/names.js";
import type { AppRecord, GroupRecord, GroupType } from "../org/types.js";
import type { GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;
const HUGE_NAMES = ["All Employees", "All Staff - Americas", "Engineering Org", "Company Announcements"];
const EMPTY_NAMES = ["Archived - 2019 Interns", "New Hires - Next Quarter", "Decommissioned VPN Users", "Pilot - Passwordless", "Offboarding Queue"];
const ROLE_NAMES = ["IT Admins", "Help Desk", "Security Reviewers", "Okta Admins", "Auditors", "App Owners"];

type Kind = "huge" | "empty" | "app" | "normal";

/** Sizes for {@link generateGroups}. */
export interface GroupSizes {
  /** Groups besides Everyone. */
  groups: number;
  /** Target number of memberships, Everyone not counted (it holds every user implicitly). */
  memberships: number;
}

/**
 * Generates the Everyone group (BUILT_IN, first), then OKTA_GROUPs and APP_GROUPs with skewed sizes:
 * up to three huge groups (30–60% of users), about 10% empty ones, and the rest on a Zipf curve that
 * spends the membership budget, each capped at a quarter of the users. APP_GROUPs come from `importers`.
 */
export function generateGroups(ctx: GenerateContext, userCount: number, importers: readonly AppRecord[], sizes: GroupSizes): GroupRecord[] {
  const { prng, info } = ctx;
  const groups: GroupRecord[] = [
    {
      index: 0,
      id: ctx.ids.mint("00g"),
      type: "BUILT_IN",
      profile: { name: "Everyone", description: "All users in your organization" },
      objectClass: ["okta:user_group"],
      sourceAppId: null,
      created: info.created,
      lastUpdated: info.created,
      lastMembershipUpdated: ctx.now - prng.int(DAY_MS),
      members: createMemberSet(),
      deleted: false,
    },
  ];
  const g = sizes.groups;
  const appCount = importers.length > 0 && g >= 3 ? Math.max(1, Math.round(g * 0.1)) : 0;
  const emptyCount = g >= 5 ? Math.max(1, Math.round(g * 0.1)) : 0;
  const hugeCount = g >= 3 && userCount > 0 ? Math.min(HUGE_NAMES.length - 1, Math.max(1, Math.round(g * 0.03))) : 0;
  const kinds: Kind[] = [];
  for (let i = 0; i < g; i++) kinds.push(i < hugeCount ? "huge" : i < hugeCount + emptyCount ? "empty" : i < hugeCount + emptyCount + appCount ? "app" : "normal");
  shuffle(prng, kinds);

  const hugeSizes = kinds.filter((k) => k === "huge").map(() => Math.round(userCount * (0.3 + 0.3 * prng.next())));
  const hugeTotal = hugeSizes.reduce((a, b) => a + b, 0);
  const zipfCount = kinds.filter((k) => k === "normal" || k === "app").length;
  const zipfWeights = Array.from({ length: zipfCount }, (_, r) => (0.5 + prng.next()) / Math.pow(r + 1, 1.1));
  shuffle(prng, zipfWeights);
  const zipfSizes = spreadBudget(zipfWeights, Math.max(0, sizes.memberships - hugeTotal), Math.max(1, Math.floor(userCount * 0.25)), userCount);

  const usedNames = new Set<string>(["everyone"]);
  let hugeIndex = 0;
  let zipfIndex = 0;
  for (const kind of kinds) {
    let size = 0;
    if (kind === "huge") size = hugeSizes[hugeIndex++] ?? 0;
    else if (kind === "normal" || kind === "app") size = zipfSizes[zipfIndex++] ?? 0;
    const source = kind === "app" ? prng.pick(importers) : null;
    const type: GroupType = source ? "APP_GROUP" : "OKTA_GROUP";
    const { name, description } = groupName(prng, kind, source, info.domain, usedNames);
    const created = info.created + prng.int(Math.max(1, ctx.now - info.created - DAY_MS));
    const lastUpdated = created + prng.int(ctx.now - created);
    groups.push({
      index: groups.length,
      id: ctx.ids.mint("00g"),
      type,
      profile: description === null ? { name } : { name, description },
      objectClass: ["okta:user_group"],
      sourceAppId: source ? source.id : null,
      created,
      lastUpdated,
      lastMembershipUpdated: size > 0 ? lastUpdated + prng.int(Math.max(1, ctx.now - lastUpdated)) : created,
      members: createMemberSet(size > 0 ? prng.sample(userCount, size) : new Uint32Array(0)),
      deleted: false,
    });
  }
  return groups;
}

function groupName(prng: Prng, kind: Kind, source: AppRecord | null, domain: string, used: Set<string>): { name: string; description: string | null } {
  let name: string;
  let description: string | null;
  switch (kind) {
    case "huge":
      name = prng.pick(HUGE_NAMES);
      description = "Large distribution group";
      break;
    case "empty":
      name = prng.pick(EMPTY_NAMES);
      description = null;
      break;
    case "app": {
      const word = prng.pick(TEAM_WORDS).toLowerCase();
      name = source?.name === "google" ? `${word}-team@${domain}` : source?.name === "workday" ? `Workday - Supervisory Org ${word}` : `scim-${word}`;
      description = `Imported from ${source?.label ?? "an app"}`;
      break;
    }
    default: {
      const roll = prng.next();
      if (roll < 0.25) {
        const dept = prng.pick(DEPARTMENTS);
        name = dept.name;
        description = `Everyone in ${dept.name}`;
      } else if (roll < 0.4) {
        name = prng.pick(ROLE_NAMES);
        description = prng.chance(0.5) ? `${name} (managed by IT)` : null;
      } else {
        name = `Team ${prng.pick(TEAM_WORDS)}`;
        description = prng.chance(0.6) ? `Members of the ${name.slice(5)} team` : null;
      }
    }
  }
  let unique = name;
  for (let n = 2; used.has(unique.toLowerCase()); n++) unique = `${name} ${n}`;
  used.add(unique.toLowerCase());
  return { name: unique, description };
}

/**
 * Splits `budget` over groups in proportion to `weights`, none above `cap`: what a capped group cannot
 * take goes to the others (water-filling), so the org gets close to the membership target.
 */
function spreadBudget(weights: readonly number[], budget: number, cap: number, userCount: number): number[] {
  const sizes = weights.map(() => 0);
  const open = new Set(weights.map((_, i) => i));
  let left = budget;
  for (let round = 0; round < 8 && left > 0 && open.size > 0; round++) {
    let weightSum = 0;
    for (const i of open) weightSum += weights[i] ?? 0;
    let spent = 0;
    for (const i of [...open]) {
      const want = sizes[i]! + (left * (weights[i] ?? 0)) / weightSum;
      const size = Math.min(cap, want);
      spent += size - sizes[i]!;
      sizes[i] = size;
      if (size >= cap) open.delete(i);
    }
    left -= spent;
  }
  return sizes.map((size) => Math.min(userCount, cap, Math.max(userCount > 0 ? 1 : 0, Math.round(size))));
}

function shuffle<T>(prng: Prng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}
