import { describe, expect, it } from "vitest";
import type { SyncOptions } from "../config/config.js";
import { CAPABILITY_REQUIREMENTS, type OktaCapability } from "../okta/capability-report.js";
import { createOktaApi, createOktaClient } from "../okta/index.js";
import { createTypeRegistry } from "../protocol/type-registry.js";
import { createTypeContext } from "../types/shared/type-context.js";
import { createUserGroupsLister } from "./user-groups.js";
import { OKTA_TYPE_DESCRIPTORS } from "./okta-type-descriptors.js";

const defaults: SyncOptions = {
  syncCustomRoles: false,
  typeFlags: new Set(),
  syncDeprovisionedUsers: false,
  syncInactiveApps: true,
  skipAppGroups: false,
  skipSecondaryEmails: false,
  filterEmailDomains: [],
};

/** The connector's own registry, over a client that is never called (nothing here lists anything). */
function registryWith(overrides: Partial<SyncOptions>) {
  const options: SyncOptions = { ...defaults, ...overrides };
  const client = createOktaClient({ orgUrl: "https://example.okta.com", auth: { kind: "ssws", token: "unused" } });
  const context = createTypeContext({ api: createOktaApi(client), client, userGroups: createUserGroupsLister(client), options, rolesUnreadable: async () => undefined });
  return createTypeRegistry({ descriptors: OKTA_TYPE_DESCRIPTORS, options, context, knownNeeds: Object.keys(CAPABILITY_REQUIREMENTS) as OktaCapability[] });
}

describe("the connector's resource types", () => {
  it("sync in baton-okta's dependency order: principals (users, groups, service apps, custom roles) before what grants to them", () => {
    expect(registryWith({ syncCustomRoles: true }).syncers.syncers.map((s) => s.resourceType.id)).toEqual([
      "user", "group", "service-app", "role", "app", "custom-role", "resource-set", "resourceset-binding", "group-rule",
    ]);
    expect(registryWith({}).syncers.syncers.map((s) => s.resourceType.id)).toEqual(["user", "group", "service-app", "role", "app", "group-rule"]);
    expect(registryWith({ typeFlags: new Set(["sync-devices"]) }).syncers.syncers.map((s) => s.resourceType.id)).toEqual(["user", "group", "service-app", "role", "app", "device", "group-rule"]);
    expect(registryWith({ typeFlags: new Set(["sync-secrets"]) }).syncers.syncers.map((s) => s.resourceType.id)).toEqual(["user", "group", "service-app", "role", "app", "api-token", "group-rule"]);
  });

  it("declare the write capability provisioning each type needs", () => {
    const registry = registryWith({ syncCustomRoles: true });
    const needs = Object.fromEntries(["user", "group", "service-app", "role", "app", "custom-role", "resource-set", "resourceset-binding"].map((id) => [id, registry.writeNeedOf(id)]));
    expect(needs).toEqual({
      user: "writeUsers",
      group: "writeGroups",
      // A service app's roles are granted through the role types' entitlements, which need role writes.
      "service-app": undefined,
      role: "writeRoles",
      app: "writeApps",
      "custom-role": "writeRoles",
      "resource-set": undefined,
      "resourceset-binding": "writeRoles",
    });
  });

  it("report what each flag leaves out, per type, the custom-role types included while they are off", () => {
    const gaps = registryWith({ skipAppGroups: true, syncInactiveApps: false, skipSecondaryEmails: true, filterEmailDomains: ["example.com"] }).configurationGaps;
    expect(gaps.map((g) => `${g.resourceTypeId} ${g.gap.reason} ${g.gap.flag}`)).toEqual([
      "user disabled-by-flag --sync-mfa-status",
      "user filtered --sync-deprovisioned-users",
      "user filtered --skip-secondary-emails",
      "user filtered --filter-email-domains",
      "group filtered --skip-app-groups",
      "app filtered --skip-inactive-apps",
      "custom-role disabled-by-flag --sync-custom-roles",
      "resource-set disabled-by-flag --sync-custom-roles",
      "resourceset-binding disabled-by-flag --sync-custom-roles",
      "device disabled-by-flag --sync-devices",
      "api-token disabled-by-flag --sync-secrets",
    ]);
    expect(registryWith({ syncDeprovisionedUsers: true, syncCustomRoles: true, typeFlags: new Set(["sync-devices", "sync-secrets", "sync-mfa-status"]) }).configurationGaps).toEqual([]);
  });
});
