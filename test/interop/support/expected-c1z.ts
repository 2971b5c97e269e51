import type { GroundTruth } from "../../fake-okta/index.js";
import { type ExpectedGrant, expectedSync, type ExpectedOptions } from "../../sync/support/expected-sync.js";

/**
 * What a c1z written by baton-sdk's syncer must hold for the simulated org: the connector's output as
 * the sync tests define it from the ground truth (test/sync/support/expected-sync.ts, never from the
 * connector's code), plus what the engine's grant expansion adds (baton-protocol.md §8.6).
 */
export interface ExpectedC1z {
  readonly resourceTypeIds: readonly string[];
  /** Resource type → `{type}:{id}` keys. */
  readonly resources: ReadonlyMap<string, ReadonlySet<string>>;
  /** `user:{id}` → the posture its UserTrait must carry (status detail, account type, MFA or null). */
  readonly userPosture: ReadonlyMap<string, { statusDetails: string; accountType: string; mfaEnabled: boolean | null }>;
  readonly entitlements: ReadonlySet<string>;
  /** Grants the connector returns → the GrantExpandable entitlement ids they must carry (or undefined). */
  readonly directGrants: ReadonlyMap<string, readonly string[] | undefined>;
  /** The same grants with the sources and GrantImmutable the connector itself puts on them. */
  readonly connectorGrants: ReadonlyMap<string, ExpectedGrant>;
  /** Grants the engine must create by expansion → the source entitlements it must name. */
  readonly expandedGrants: ReadonlyMap<string, ReadonlySet<string>>;
  /** Connector grants that expansion also reaches → the sources the engine stamps (itself included). */
  readonly reachedDirectGrants: ReadonlyMap<string, ReadonlySet<string>>;
}

export function expectedC1z(truth: GroundTruth, options: Partial<ExpectedOptions>): ExpectedC1z {
  const sync = expectedSync(truth, options);
  const keys = (type: string, ids: Iterable<string>) => new Set([...ids].map((id) => `${type}:${id}`));
  const resources = new Map<string, ReadonlySet<string>>([
    ["user", keys("user", sync.users.keys())],
    ["group", keys("group", sync.groups.keys())],
    ["service-app", keys("service-app", sync.serviceApps.keys())],
    ["role", keys("role", sync.roles.keys())],
    ["app", keys("app", sync.apps.keys())],
    ["group-rule", keys("group-rule", sync.groupRules.keys())],
  ]);
  if (sync.resourceTypeIds.includes("custom-role")) {
    resources.set("custom-role", keys("custom-role", sync.customRoles.keys()));
    resources.set("resource-set", keys("resource-set", sync.resourceSets.keys()));
    resources.set("resourceset-binding", keys("resourceset-binding", sync.bindings.keys()));
  }
  if (sync.resourceTypeIds.includes("device")) resources.set("device", keys("device", sync.devices.keys()));
  if (sync.resourceTypeIds.includes("api-token")) resources.set("api-token", keys("api-token", sync.apiTokens.keys()));

  const directGrants = new Map<string, readonly string[] | undefined>();
  for (const [id, grant] of sync.grants) directGrants.set(id, grant.expandsTo);

  // A grant to group G on entitlement D, expandable from `group:G:member` (shallow), gives every
  // direct member U of G the grant `D:user:U`: a new immutable grant, or sources stamped on U's own.
  const expandedGrants = new Map<string, Set<string>>();
  const reachedDirectGrants = new Map<string, Set<string>>();
  for (const [id, expandsTo] of directGrants) {
    if (expandsTo === undefined) continue;
    const principalAt = id.lastIndexOf(":group:");
    const destination = id.slice(0, principalAt);
    for (const source of expandsTo) {
      const groupId = source.split(":")[1]!;
      for (const member of sync.groups.get(groupId)?.memberIds ?? []) {
        if (!sync.users.has(member)) continue;
        const derived = `${destination}:user:${member}`;
        if (directGrants.has(derived)) {
          // The engine adds to the sources the connector sent, or starts them with the grant itself.
          const own = Object.keys(sync.grants.get(derived)?.sources ?? {});
          const sources = reachedDirectGrants.get(derived) ?? new Set(own.length > 0 ? own : [destination]);
          reachedDirectGrants.set(derived, sources.add(source));
        } else {
          const sources = expandedGrants.get(derived) ?? new Set<string>();
          expandedGrants.set(derived, sources.add(source));
        }
      }
    }
  }
  const userPosture = new Map([...sync.users].map(([id, u]) => [`user:${id}`, { statusDetails: u.statusDetails, accountType: u.accountType, mfaEnabled: u.mfaEnabled }]));
  return { resourceTypeIds: sync.resourceTypeIds, resources, userPosture, entitlements: sync.entitlementIds, directGrants, connectorGrants: sync.grants, expandedGrants, reachedDirectGrants };
}

/** Counts per resource type, for messages. */
export function countsByType(resources: ReadonlyMap<string, ReadonlySet<string>>): Record<string, number> {
  return Object.fromEntries([...resources].map(([type, ids]) => [type, ids.size]));
}
