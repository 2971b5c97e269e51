import type { AppRecord, BindingMemberRecord, ResourceSetRecord, RoleAssignmentRecord, StandardRoleType } from "../org/types.js";
import { asciiSlug, type GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;

const LABELS = ["Terraform Automation", "SIEM Log Exporter", "HR Sync Service", "Backup Service", "Access Review Bot", "Provisioning Worker"];

/**
 * What the k-th service app holds, cycling every four: a standard role, two standard roles, nothing
 * (a service app without a role, which a reviewer should still see), and a custom role over a resource
 * set (a binding member, as Okta records a custom role given to a client).
 */
const HOLDINGS: readonly (readonly StandardRoleType[] | "custom")[] = [["SUPER_ADMIN"], ["READ_ONLY_ADMIN", "REPORT_ADMIN"], [], "custom"];

/**
 * Generates `count` OAuth API Services apps (OIDC, `application_type: "service"`, client credentials)
 * appended after the other apps, and their admin roles: standard assignments to the client id and
 * custom-role binding members on the first binding of the first resource set. Service apps have no
 * app users or groups. Runs last with its own stream, so adding them changed no other stage's data.
 */
export function generateServiceApps(
  ctx: GenerateContext,
  firstIndex: number,
  count: number,
  roles: { roleAssignments: RoleAssignmentRecord[]; resourceSets: readonly ResourceSetRecord[] },
): AppRecord[] {
  const { prng, info } = ctx;
  const stamp = (after: number): number => after + prng.int(Math.max(1, ctx.now - after));
  const apps: AppRecord[] = [];
  const binding = roles.resourceSets[0]?.bindings.values().next().value;
  for (let k = 0; k < count; k++) {
    const round = Math.floor(k / LABELS.length);
    const label = round === 0 ? (LABELS[k] as string) : `${LABELS[k % LABELS.length] as string} ${round + 1}`;
    const id = ctx.ids.mint("0oa");
    const created = info.created + prng.int(Math.max(1, ctx.now - info.created - DAY_MS));
    apps.push({
      index: firstIndex + k,
      id,
      name: "oidc_client",
      label,
      status: "ACTIVE",
      signOnMode: "OPENID_CONNECT",
      features: [],
      created,
      lastUpdated: stamp(created),
      url: `https://${asciiSlug(label)}.${info.domain}`,
      clientId: id,
      applicationType: "service",
      directUsers: new Map(),
      groupAssignments: new Map(),
    });
    const holding = HOLDINGS[k % HOLDINGS.length]!;
    if (holding === "custom") {
      if (!binding) continue;
      const at = stamp(created);
      const member: BindingMemberRecord = { id: ctx.ids.mint("irb"), principalType: "CLIENT", principalId: id, created: at, lastUpdated: at };
      binding.members.push(member);
      continue;
    }
    for (const type of holding) {
      const at = stamp(created);
      roles.roleAssignments.push({ id: ctx.ids.mint("ra1"), type, principalType: "CLIENT", principalId: id, created: at, lastUpdated: at });
    }
  }
  return apps;
}
