import type { IdFactory } from "../core/okta-ids.js";
import type { Prng } from "../core/prng.js";
import { CITIES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, SKILLS, UNICODE_NAMES } from "../data/names.js";
import { USER_STATUSES, type OrgInfo, type UserProfile, type UserRecord, type UserStatus } from "../org/types.js";

const DAY_MS = 86_400_000;
const STATUS_WEIGHTS: Record<UserStatus, number> = {
  STAGED: 3, PROVISIONED: 4, ACTIVE: 78, RECOVERY: 2, PASSWORD_EXPIRED: 3, LOCKED_OUT: 2, SUSPENDED: 3, DEPROVISIONED: 5,
};
const PERSONAL_DOMAINS = ["gmail.example", "outlook.example", "proton.example", "icloud.example"];

/** Inputs shared by the generator's stages. */
export interface GenerateContext {
  prng: Prng;
  ids: IdFactory;
  info: OrgInfo;
  /** The generator's fixed "now", so no timestamp depends on the wall clock. */
  now: number;
}

/**
 * Generates `count` users. Every status appears at least once (for 8 users or more), some users have no
 * email (login without `@`), some have non-ASCII names, and the profile carries Okta's base attributes
 * plus custom ones of several JSON types (string, number, boolean, array).
 */
export function generateUsers(ctx: GenerateContext, count: number): UserRecord[] {
  const { prng } = ctx;
  const forcedStatus = new Map<number, UserStatus>();
  if (count >= USER_STATUSES.length) {
    USER_STATUSES.forEach((status, k) => forcedStatus.set(Math.floor(((k + 0.5) * count) / USER_STATUSES.length), status));
  }
  const forcedNoEmail = count >= 10 ? Math.floor(count * 0.37) : -1;
  const forcedUnicode = count >= 10 ? Math.floor(count * 0.61) : -1;
  const usedLogins = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const users: UserRecord[] = [];
  const statuses = [...USER_STATUSES];
  const weights = statuses.map((s) => STATUS_WEIGHTS[s]);

  for (let i = 0; i < count; i++) {
    const status = forcedStatus.get(i) ?? prng.weighted(statuses, weights);
    const unicode = i === forcedUnicode || prng.chance(0.08);
    const name = unicode ? prng.pick(UNICODE_NAMES) : null;
    const first = name ? name.first : prng.pick(FIRST_NAMES);
    const last = name ? name.last : prng.pick(LAST_NAMES);
    const base = `${asciiSlug(name ? name.firstAscii : first)}.${asciiSlug(name ? name.lastAscii : last)}`;
    const noEmail = i === forcedNoEmail || prng.chance(0.03);
    const login = uniqueLogin(usedLogins, nextSuffix, base, noEmail ? "" : `@${ctx.info.domain}`);
    const dept = prng.pick(DEPARTMENTS);
    const place = prng.pick(CITIES);
    const userType = noEmail ? "Service" : prng.weighted(["Employee", "Contractor", "Intern"], [85, 12, 3]);

    const profile: UserProfile = {
      firstName: first,
      lastName: last,
      mobilePhone: prng.chance(0.6) ? `+1-555-01${String(prng.int(100)).padStart(2, "0")}-${String(prng.int(10000)).padStart(4, "0")}` : null,
      secondEmail: !noEmail && prng.chance(0.3) ? `${base.replace(".", "")}${prng.int(100)}@${prng.pick(PERSONAL_DOMAINS)}` : null,
      login,
    };
    if (!noEmail) profile["email"] = login;
    if (prng.chance(0.7)) profile["displayName"] = `${first} ${last}`;
    if (prng.chance(0.85)) profile["employeeNumber"] = String(100000 + i);
    profile["department"] = dept.name;
    profile["title"] = prng.pick(dept.titles);
    profile["division"] = dept.division;
    profile["costCenter"] = dept.costCenter;
    profile["organization"] = ctx.info.companyName;
    profile["userType"] = userType;
    profile["city"] = place.city;
    if (place.state !== undefined) profile["state"] = place.state;
    profile["countryCode"] = place.countryCode;
    profile["timezone"] = place.timezone;
    profile["preferredLanguage"] = place.language;
    profile["locale"] = name ? name.locale : "en_US";
    if (i > 0 && prng.chance(0.8)) {
      const manager = users[prng.int(i)] as UserRecord;
      profile["managerId"] = manager.id;
      profile["manager"] = `${String(manager.profile["firstName"])} ${String(manager.profile["lastName"])}`;
    }
    if (dept.name === "Engineering" && prng.chance(0.8)) profile["githubUsername"] = base.replace(".", "-");
    if (prng.chance(0.5)) profile["clearanceLevel"] = prng.range(1, 5);
    profile["isContractor"] = userType === "Contractor";
    if (prng.chance(0.4)) profile["skills"] = pickDistinct(prng, SKILLS, prng.range(1, 3));

    const created = ctx.now - prng.range(1, 1460) * DAY_MS - prng.int(DAY_MS);
    profile["startDate"] = new Date(created).toISOString().slice(0, 10);
    const federated = status !== "STAGED" && status !== "PROVISIONED" && prng.chance(0.05);
    const hasPassword = !federated && status !== "STAGED" && status !== "PROVISIONED";
    const activated = status === "STAGED" ? null : created + prng.int(2 * DAY_MS);
    const statusChanged = activated === null ? null : activated + prng.int(ctx.now - activated);
    const neverLoggedIn = status === "STAGED" || status === "PROVISIONED" || prng.chance(0.05);
    const lastLogin = neverLoggedIn || activated === null ? null : activated + prng.int(ctx.now - activated);
    const passwordChanged = hasPassword && activated !== null ? activated + prng.int(Math.max(1, (statusChanged ?? activated) - activated)) : null;
    users.push({
      index: i,
      id: ctx.ids.mint("00u"),
      status,
      created,
      activated,
      statusChanged,
      lastLogin,
      lastUpdated: Math.max(created, statusChanged ?? 0, passwordChanged ?? 0),
      passwordChanged,
      typeId: ctx.info.userTypeId,
      profile,
      hasPassword,
      provider: federated ? { type: "FEDERATION", name: "FEDERATION" } : { type: "OKTA", name: "OKTA" },
      deleted: false,
    });
  }
  return users;
}

/** Lower-case ASCII letters and digits only (`O'Brien` → `obrien`, `van der Berg` → `vanderberg`). */
export function asciiSlug(text: string): string {
  return text.normalize("NFKD").replace(/[^A-Za-z0-9]/g, "").toLowerCase() || "user";
}

/** `base@domain`, else `base2@domain`, `base3@domain`…; `next` remembers each base's next number. */
function uniqueLogin(used: Set<string>, next: Map<string, number>, base: string, suffix: string): string {
  let login = `${base}${suffix}`;
  if (used.has(login)) {
    const key = `${base}${suffix}`;
    let n = next.get(key) ?? 2;
    do login = `${base}${n++}${suffix}`;
    while (used.has(login));
    next.set(key, n);
  }
  used.add(login);
  return login;
}

function pickDistinct(prng: Prng, items: readonly string[], count: number): string[] {
  return Array.from(prng.sample(items.length, count), (i) => items[i] as string);
}
