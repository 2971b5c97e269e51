import { isDeepStrictEqual } from "node:util";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { type Any, anyUnpack, type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { expect } from "vitest";
import { EntitlementImmutableSchema } from "../../../gen/c1/connector/v2/annotation_entitlement_pb.js";
import { RawIdSchema } from "../../../gen/c1/connector/v2/annotation_raw_id_pb.js";
import { AppTraitSchema, DeviceOS_OsType, GroupTraitSchema, ManagedDeviceTraitSchema, ManagedDeviceTrait_ManagementState, NonHumanIdentityTraitSchema, NonHumanIdentityTrait_NhiType, RoleTraitSchema, SecretTraitSchema, SecretTrait_CredentialType, UserTraitSchema, UserTrait_AccountType, UserTrait_Status_Status } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { type Resource, Status_ResourceStatus } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { CollectedSync } from "../../support/sync-helpers.js";
import { expectedGroupSourceType, type ExpectedSync, type ExpectedUser } from "./expected-sync.js";

/**
 * Compares a collected sync with the expected one. Differences are gathered and asserted as short
 * lists (the first few items plus counts), so a failure on a 100,000-grant sync stays readable.
 */

const SAMPLE = 8;

/** Items of `values` that occur more than once. */
export function duplicatesOf(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const value of values) (seen.has(value) ? dups : seen).add(value);
  return [...dups];
}

/** What `actual` lacks and what it has in excess of `expected`, sampled. */
export function setDiff(actual: Iterable<string>, expected: Iterable<string>) {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = [...e].filter((x) => !a.has(x));
  const extra = [...a].filter((x) => !e.has(x));
  return { missing: missing.length, extra: extra.length, missingSample: missing.slice(0, SAMPLE), extraSample: extra.slice(0, SAMPLE) };
}

const NO_DIFF = { missing: 0, extra: 0, missingSample: [], extraSample: [] };

export function unpackFirst<D extends DescMessage>(annotations: readonly Any[], schema: D): MessageShape<D> | undefined {
  for (const a of annotations) {
    const value = anyUnpack(a, schema);
    if (value !== undefined) return value;
  }
  return undefined;
}

const iso = (ts: Timestamp | undefined): string | null => (ts ? timestampDate(ts).toISOString() : null);

/** The user as the expectation describes it, read off the resource and its trait. */
export function userView(resource: Resource): ExpectedUser & { traitProfile: unknown; traitStatus: string; traitStatusDetails: string; v1: string | undefined; rawId: string | undefined } {
  const trait = unpackFirst(resource.annotations, UserTraitSchema);
  return {
    displayName: resource.displayName,
    emails: (trait?.emails ?? []).map((e) => ({ address: e.address, primary: e.isPrimary })),
    login: trait?.login ?? "",
    loginAliases: trait?.loginAliases ?? [],
    status: Status_ResourceStatus[resource.status?.status ?? Status_ResourceStatus.UNSPECIFIED] as ExpectedUser["status"],
    statusDetails: resource.status?.details ?? "",
    profile: (resource.profile ?? {}) as Record<string, unknown>,
    employeeIds: trait?.employeeIds ?? [],
    createdAt: iso(resource.createdAt) ?? "",
    lastLogin: iso(trait?.lastLogin),
    accountType: UserTrait_AccountType[trait?.accountType ?? UserTrait_AccountType.UNSPECIFIED] as ExpectedUser["accountType"],
    mfaEnabled: trait?.mfaStatus ? trait.mfaStatus.mfaEnabled : null,
    structuredName: trait?.structuredName
      ? { givenName: trait.structuredName.givenName, familyName: trait.structuredName.familyName, middleNames: [...trait.structuredName.middleNames], prefix: trait.structuredName.prefix, suffix: trait.structuredName.suffix }
      : null,
    traitProfile: trait?.profile,
    traitStatus: UserTrait_Status_Status[trait?.status?.status ?? UserTrait_Status_Status.UNSPECIFIED],
    traitStatusDetails: trait?.status?.details ?? "",
    v1: unpackFirst(resource.annotations, V1IdentifierSchema)?.id,
    rawId: unpackFirst(resource.annotations, RawIdSchema)?.id,
  };
}

function resourcesOf(sync: CollectedSync, type: string): Map<string, Resource> {
  return new Map(sync.resources.filter((r) => r.id?.resourceType === type).map((r) => [r.id!.resource, r]));
}

/** Asserts that `actual` is exactly `expected`: the same ids, no duplicates, the same contents. */
export function expectSyncToMatch(actual: CollectedSync, expected: ExpectedSync): void {
  expect(actual.resourceTypes.map((t) => t.id).sort()).toEqual([...expected.resourceTypeIds].sort());

  const resourceKeys = actual.resources.map((r) => `${r.id?.resourceType}/${r.id?.resource}`);
  expect({
    resources: duplicatesOf(resourceKeys).slice(0, SAMPLE),
    entitlements: duplicatesOf(actual.entitlements.map((e) => e.id)).slice(0, SAMPLE),
    grants: duplicatesOf(actual.grants.map((g) => g.id)).slice(0, SAMPLE),
  }).toEqual({ resources: [], entitlements: [], grants: [] });

  const byType = {
    user: [...expected.users.keys()],
    group: [...expected.groups.keys()],
    app: [...expected.apps.keys()],
    role: [...expected.roles.keys()],
    "custom-role": [...expected.customRoles.keys()],
    "resource-set": [...expected.resourceSets.keys()],
    "resourceset-binding": [...expected.bindings.keys()],
    device: [...expected.devices.keys()],
    "api-token": [...expected.apiTokens.keys()],
    "service-app": [...expected.serviceApps.keys()],
    "group-rule": [...expected.groupRules.keys()],
  };
  for (const [type, ids] of Object.entries(byType)) {
    expect({ type, ...setDiff(resourcesOf(actual, type).keys(), ids) }).toEqual({ type, ...NO_DIFF });
  }

  expectUsers(actual, expected);
  expectOtherResources(actual, expected);

  expect(setDiff(actual.entitlements.map((e) => e.id), expected.entitlementIds)).toEqual(NO_DIFF);
  const badEntitlementIds = actual.entitlements.filter((e) => e.id !== `${e.resource?.id?.resourceType}:${e.resource?.id?.resource}:${e.slug}`).map((e) => e.id);
  expect(badEntitlementIds.slice(0, SAMPLE)).toEqual([]);
  // BUILT_IN membership is Okta's own (issue 4 §4); APP_GROUP membership belongs to the app that
  // imports it (Okta answers 403 E0000006 to a change), so it may be marked too. OKTA_GROUPs may not.
  const immutable = new Set(actual.entitlements.filter((e) => unpackFirst(e.annotations, EntitlementImmutableSchema) !== undefined).map((e) => e.id));
  const groupsOfType = (type: string) => [...expected.groups.values()].filter((g) => g.type === type).map((g) => `group:${g.id}:member`);
  expect(groupsOfType("BUILT_IN").filter((id) => !immutable.has(id))).toEqual([]);
  // A rule's `assigns` changes only by editing the rule in Okta, which the connector never does.
  const ruleTargets = [...expected.groupRules.keys()].map((id) => `group-rule:${id}:assigns`);
  expect(ruleTargets.filter((id) => !immutable.has(id))).toEqual([]);
  const allowed = new Set([...groupsOfType("BUILT_IN"), ...groupsOfType("APP_GROUP"), ...ruleTargets]);
  expect([...immutable].filter((id) => !allowed.has(id))).toEqual([]);

  expectGrants(actual, expected);
}

function expectUsers(actual: CollectedSync, expected: ExpectedSync): void {
  const resources = resourcesOf(actual, "user");
  const mismatches: unknown[] = [];
  for (const [id, want] of expected.users) {
    const resource = resources.get(id);
    if (!resource) continue;
    const { traitProfile, traitStatus, traitStatusDetails, v1, rawId, ...got } = userView(resource);
    const traitOk = traitStatus === want.status && traitStatusDetails === want.statusDetails;
    const same = isDeepStrictEqual(got, want) && isDeepStrictEqual(traitProfile, want.profile);
    if (!same || !traitOk || v1 !== id || rawId !== id) {
      mismatches.push({ id, want, got: { ...got, traitProfile, traitStatus, traitStatusDetails, v1, rawId } });
    }
  }
  expect({ count: mismatches.length, sample: mismatches.slice(0, 2) }).toEqual({ count: 0, sample: [] });
}

function expectOtherResources(actual: CollectedSync, expected: ExpectedSync): void {
  const mismatches: unknown[] = [];
  const check = (id: string, got: unknown, want: unknown) => {
    if (!isDeepStrictEqual(got, want)) mismatches.push({ id, got, want });
  };
  for (const [id, r] of resourcesOf(actual, "group")) {
    const want = expected.groups.get(id);
    if (!want) continue;
    const trait = unpackFirst(r.annotations, GroupTraitSchema);
    const profile = (r.profile ?? trait?.profile ?? {}) as Record<string, unknown>;
    check(
      id,
      { name: r.displayName, sourceType: trait?.groupSourceType, raw: trait?.rawGroupSourceType, type: profile["type"], users: profile["users_count"], apps: profile["apps_count"], v1: unpackFirst(r.annotations, V1IdentifierSchema)?.id },
      { name: want.name, sourceType: expectedGroupSourceType(want.type), raw: want.type, type: want.type, users: want.memberIds.length, apps: want.appsCount, v1: id },
    );
  }
  for (const [id, r] of resourcesOf(actual, "app")) {
    const want = expected.apps.get(id);
    if (!want) continue;
    const profile = (r.profile ?? unpackFirst(r.annotations, AppTraitSchema)?.profile ?? {}) as Record<string, unknown>;
    const values = Object.values(profile);
    check(
      id,
      { label: r.displayName, status: profile["status"], signOnMode: values.includes(want.signOnMode), features: values.some((v) => JSON.stringify(v) === JSON.stringify(want.features)), trait: unpackFirst(r.annotations, AppTraitSchema) !== undefined },
      { label: want.label, status: want.status, signOnMode: true, features: true, trait: true },
    );
  }
  for (const [id, r] of resourcesOf(actual, "role")) {
    const profile = (r.profile ?? {}) as Record<string, unknown>;
    check(id, { name: r.displayName, type: profile["type"], v1: unpackFirst(r.annotations, V1IdentifierSchema)?.id, trait: unpackFirst(r.annotations, RoleTraitSchema) !== undefined }, { name: expected.roles.get(id), type: id, v1: `role:${id}`, trait: true });
  }
  for (const [id, r] of resourcesOf(actual, "custom-role")) {
    check(id, { name: r.displayName, trait: unpackFirst(r.annotations, RoleTraitSchema) !== undefined }, { name: expected.customRoles.get(id)?.label, trait: true });
  }
  for (const [id, r] of resourcesOf(actual, "resource-set")) {
    const want = expected.resourceSets.get(id);
    check(id, { name: r.displayName, description: r.description }, { name: want?.label, description: want?.description });
  }
  for (const [id, r] of resourcesOf(actual, "resourceset-binding")) {
    check(id, { name: r.displayName }, { name: expected.bindings.get(id) });
  }
  for (const [id, r] of resourcesOf(actual, "device")) {
    const want = expected.devices.get(id);
    if (!want) continue;
    const t = unpackFirst(r.annotations, ManagedDeviceTraitSchema);
    check(
      id,
      { name: r.displayName, serial: t?.serial, udid: t?.udid, model: t?.model, vendor: t?.vendor, os: t?.os && [DeviceOS_OsType[t.os.type], t.os.name, t.os.version], encrypted: t?.isEncrypted, managed: t && ManagedDeviceTrait_ManagementState[t.managementState], v1: unpackFirst(r.annotations, V1IdentifierSchema)?.id },
      // baton-okta §2.8: vendor = manufacturer, OS type and name from the platform; encryption and management from Okta's profile.
      { name: want.displayName, serial: want.serialNumber, udid: want.udid, model: want.model, vendor: want.manufacturer, os: [want.platform, want.platform, want.osVersion], encrypted: want.diskEncryptionType !== "NONE", managed: want.managed ? "MANAGED" : "UNMANAGED", v1: id },
    );
  }
  for (const [id, r] of resourcesOf(actual, "service-app")) {
    const want = expected.serviceApps.get(id);
    if (!want) continue;
    const nhi = unpackFirst(r.annotations, NonHumanIdentityTraitSchema);
    const profile = (r.profile ?? {}) as Record<string, unknown>;
    check(
      id,
      { name: r.displayName, nhi: nhi && NonHumanIdentityTrait_NhiType[nhi.nhiType], appId: profile["app_id"], status: profile["status"], v1: unpackFirst(r.annotations, V1IdentifierSchema)?.id },
      { name: want.label, nhi: "APP_REGISTRATION", appId: want.id, status: want.status, v1: id },
    );
  }
  for (const [id, r] of resourcesOf(actual, "api-token")) {
    const want = expected.apiTokens.get(id);
    if (!want) continue;
    const t = unpackFirst(r.annotations, SecretTraitSchema);
    const ref = (rid: { resourceType: string; resource: string } | undefined) => rid && `${rid.resourceType}:${rid.resource}`;
    check(
      id,
      { name: r.displayName, type: t && SecretTrait_CredentialType[t.credentialType], detail: t?.credentialDetail, expiresAt: iso(t?.expiresAt), lastUsedAt: iso(t?.lastUsedAt), createdBy: ref(t?.createdById), identity: ref(t?.identityId), createdAt: iso(r.createdAt) },
      // baton-okta §2.8: name, STATIC_SECRET "okta.api_token", expiry, last use from lastUpdated, the owner as creator and identity.
      { name: want.name, type: "STATIC_SECRET", detail: "okta.api_token", expiresAt: want.expiresAt, lastUsedAt: want.lastUpdated, createdBy: `user:${want.userId}`, identity: `user:${want.userId}`, createdAt: want.created },
    );
  }
  for (const [id, r] of resourcesOf(actual, "group-rule")) {
    const want = expected.groupRules.get(id);
    if (!want) continue;
    const profile = (r.profile ?? {}) as Record<string, unknown>;
    check(
      id,
      { name: r.displayName, description: r.description, status: profile["status"], readable: profile["expression_readable"], groups: profile["group_ids"], excluded: profile["excluded_user_ids"] },
      { name: want.name, description: want.expression, status: want.status, readable: want.commonSubset, groups: want.groupIds, excluded: want.excludedUserIds },
    );
  }
  expect(mismatches.slice(0, 4)).toEqual([]);
}

function expectGrants(actual: CollectedSync, expected: ExpectedSync): void {
  expect(setDiff(actual.grants.map((g) => g.id), expected.grants.keys())).toEqual(NO_DIFF);
  // Every principal is a user or group the same sync returns, and every expansion names an
  // entitlement it returns: anything else dangles in the engine.
  const synced = new Set(actual.resources.map((r) => `${r.id?.resourceType}/${r.id?.resource}`));
  const entitlements = new Set(actual.entitlements.map((e) => e.id));
  const dangling = actual.grants
    .filter((g) => !synced.has(`${g.principalType}/${g.principalId}`) || (g.expandsTo ?? []).some((id) => !entitlements.has(id)))
    .map((g) => g.id);
  expect({ count: dangling.length, sample: dangling.slice(0, SAMPLE) }).toEqual({ count: 0, sample: [] });
  const malformed = actual.grants.filter(
    (g) => g.id !== `${g.entitlementId}:${g.principalType}:${g.principalId}` || !g.entitlementId.startsWith(`${g.entitlementResource.replace("/", ":")}:`),
  );
  expect(malformed.slice(0, SAMPLE)).toEqual([]);
  const wrongExpansion = actual.grants
    .filter((g) => expected.grants.has(g.id))
    .filter((g) => JSON.stringify(g.expandsTo) !== JSON.stringify(expected.grants.get(g.id)!.expandsTo))
    .map((g) => ({ id: g.id, got: g.expandsTo, want: expected.grants.get(g.id)!.expandsTo }));
  expect({ count: wrongExpansion.length, sample: wrongExpansion.slice(0, 4) }).toEqual({ count: 0, sample: [] });
  // Group-derived access the connector writes itself must look as the engine's expansion writes it.
  const shapeOf = (g: { sources?: Readonly<Record<string, boolean>> | undefined; immutable?: boolean | undefined }) =>
    JSON.stringify({ sources: g.sources === undefined ? null : Object.fromEntries(Object.entries(g.sources).sort(([a], [b]) => a.localeCompare(b))), immutable: g.immutable ?? false });
  const wrongShape = actual.grants
    .filter((g) => expected.grants.has(g.id) && shapeOf(g) !== shapeOf(expected.grants.get(g.id)!))
    .map((g) => ({ id: g.id, got: shapeOf(g), want: shapeOf(expected.grants.get(g.id)!) }));
  expect({ count: wrongShape.length, sample: wrongShape.slice(0, 4) }).toEqual({ count: 0, sample: [] });
}

/** Counts of grants by entitlement kind, for readable summaries. */
export function grantCountsByKind(sync: CollectedSync): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of sync.grants) {
    const key = `${g.entitlementResource.split("/")[0]}→${g.principalType}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
