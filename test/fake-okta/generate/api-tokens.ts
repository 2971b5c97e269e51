import type { ApiTokenNetwork, ApiTokenRecord, RoleAssignmentRecord, StandardRoleType, UserRecord } from "../org/types.js";
import type { GenerateContext } from "./users.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The admins Okta lets create API tokens ("Super admins, org admins, group admins, group membership admins,
 * and read-only admins may create tokens", Okta help: Manage Okta API tokens); USER_ADMIN is the group admin.
 */
const TOKEN_CREATOR_ROLES: ReadonlySet<StandardRoleType> = new Set(["SUPER_ADMIN", "ORG_ADMIN", "USER_ADMIN", "GROUP_MEMBERSHIP_ADMIN", "READ_ONLY_ADMIN"]);

/** Token windows an admin can pick, with their length: Okta's default is 30 days idle. */
const WINDOWS: readonly { window: string; ms: number }[] = [
  { window: "P30D", ms: 30 * DAY_MS },
  { window: "P7D", ms: 7 * DAY_MS },
  { window: "PT12H", ms: 12 * HOUR_MS },
  { window: "P90D", ms: 90 * DAY_MS },
];
const CONSOLE_NAMES = ["Terraform", "Governance sync", "SIEM export", "HR import", "Backup job", "Okta Workflows", "Audit script"];
const AGENT_CLIENTS = ["Okta AD Agent", "Okta LDAP Agent"];

/**
 * Generates `count` API tokens owned by the admins allowed to create them, round-robin: every fifth is an
 * agent's token, every third is restricted to network zones, and the window mix includes hours and days.
 * An org without such an admin gets none.
 */
export function generateApiTokens(ctx: GenerateContext, users: readonly UserRecord[], roleAssignments: readonly RoleAssignmentRecord[], count: number): ApiTokenRecord[] {
  const { prng } = ctx;
  const byId = new Map(users.map((u) => [u.id, u]));
  const owners = [...new Set(roleAssignments.filter((r) => r.principalType === "USER" && TOKEN_CREATOR_ROLES.has(r.type)).map((r) => r.principalId))]
    .map((id) => byId.get(id))
    .filter((u): u is UserRecord => u !== undefined && u.status === "ACTIVE");
  if (owners.length === 0) return [];
  const tokens: ApiTokenRecord[] = [];
  for (let i = 0; i < count; i++) {
    const owner = owners[i % owners.length] as UserRecord;
    const { window, ms } = WINDOWS[i % 7 === 3 ? 2 : i % 11 === 5 ? 3 : i % 4 === 1 ? 1 : 0] as { window: string; ms: number };
    const created = ctx.now - prng.range(2, 700) * DAY_MS - prng.int(DAY_MS);
    const lastUpdated = Math.max(created, ctx.now - prng.int(Math.min(ms, ctx.now - created)));
    const agent = i % 5 === 4;
    const round = Math.floor(i / CONSOLE_NAMES.length);
    const base = CONSOLE_NAMES[i % CONSOLE_NAMES.length] as string;
    const network: ApiTokenNetwork = i % 3 === 2 ? { connection: "ZONE", include: ["ALL_ZONES"] } : { connection: "ANYWHERE" };
    tokens.push({
      id: ctx.ids.mint("00T"),
      name: agent ? `${ctx.info.subdomain}-dc${String(i + 1).padStart(2, "0")}` : round === 0 ? base : `${base} ${round + 1}`,
      userId: owner.id,
      clientName: agent ? (prng.pick(AGENT_CLIENTS)) : "Okta API",
      created,
      lastUpdated,
      tokenWindow: window,
      expiresAt: lastUpdated + ms,
      network,
    });
  }
  return tokens;
}
