/**
 * The ids the engine stores. They are an external contract: ConductorOne keys access-review history on
 * them, so ours must be byte-identical to what baton-okta emits for the same org (baton-sdk's
 * `entitlement.NewEntitlementID` and `grant.NewGrantID` build the same strings), or an organisation
 * switching connectors loses its history. This module is the only place that joins them.
 *
 *   entitlement: `{resourceTypeId}:{resourceId}:{slug}`          e.g. `group:00g1abc:member`
 *   grant:       `{entitlementId}:{principalTypeId}:{principalId}` e.g. `group:00g1abc:member:user:00u2def`
 *
 * Never parse these back into parts to route a request: Okta ids contain no ':' but role types and
 * custom ids might; callers keep the structured ResourceId alongside.
 */
export function entitlementId(resourceTypeId: string, resourceId: string, slug: string): string {
  return `${resourceTypeId}:${resourceId}:${slug}`;
}

export function grantId(entitlementIdValue: string, principalTypeId: string, principalId: string): string {
  return `${entitlementIdValue}:${principalTypeId}:${principalId}`;
}
