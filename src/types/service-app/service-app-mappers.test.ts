import { describe, expect, it } from "vitest";
import { GrantExpandableSchema } from "../../../gen/c1/connector/v2/annotation_grant_pb.js";
import { NonHumanIdentityTrait_NhiType, NonHumanIdentityTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { SkipEntitlementsAndGrantsSchema } from "../../../gen/c1/connector/v2/annotation_resource_tree_pb.js";
import { has, pick } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { grantId } from "../../protocol/ids.js";
import { roleAssignedEntitlementOf, roleGrantOf, roleGrantsPage } from "../shared/role-grants.js";
import { SERVICE_APP_TYPE } from "./resource-type.js";
import { clientIdOf, isServiceApp, SERVICE_APP_NHI_DETAIL, serviceAppResourceOf } from "./service-app-mappers.js";
import type { OktaOAuthApp } from "./service-app-okta.js";

const oidc = (id: string, applicationType: string, extra: Partial<OktaOAuthApp> = {}): OktaOAuthApp => ({
  id,
  name: "oidc_client",
  label: `App ${id}`,
  status: "ACTIVE",
  signOnMode: "OPENID_CONNECT",
  created: "2023-04-05T06:07:08.000Z",
  credentials: { oauthClient: { client_id: id, token_endpoint_auth_method: "private_key_jwt" } },
  settings: { oauthClient: { application_type: applicationType, grant_types: ["client_credentials"] } },
  ...extra,
});

describe("service-app resource type", () => {
  it("is a principal without entitlements: id service-app, display OAuth Service App, no type trait, V1 id = type id", () => {
    expect(SERVICE_APP_TYPE.id).toBe("service-app");
    expect(SERVICE_APP_TYPE.displayName).toBe("OAuth Service App");
    expect(SERVICE_APP_TYPE.traits).toEqual([]);
    expect(has(SERVICE_APP_TYPE.annotations, SkipEntitlementsAndGrantsSchema)).toBe(true);
    expect(pick(SERVICE_APP_TYPE.annotations, V1IdentifierSchema)?.id).toBe("service-app");
  });
});

describe("isServiceApp", () => {
  it.each([
    ["an API Services app", oidc("0oa1svc", "service"), true],
    ["an OIDC web app", oidc("0oa2web", "web"), false],
    ["an OIDC single-page app", oidc("0oa3spa", "browser"), false],
    ["a native app", oidc("0oa4nat", "native"), false],
    ["a SAML app", { id: "0oa5saml", name: "salesforce", label: "Salesforce", status: "ACTIVE", signOnMode: "SAML_2_0", settings: { oauthClient: { application_type: "service" } } }, false],
    ["an OIDC app without settings", { id: "0oa6", name: "oidc_client", label: "x", status: "ACTIVE", signOnMode: "OPENID_CONNECT" }, false],
  ])("%s → %s", (_name, app, expected) => {
    expect(isServiceApp(app as OktaOAuthApp)).toBe(expected);
  });
});

describe("serviceAppResourceOf", () => {
  it("keys the principal by its client id, with NHI APP_REGISTRATION and the app id in the profile", () => {
    const resource = serviceAppResourceOf(oidc("0oa1svc", "service"));
    expect(resource.id).toMatchObject({ resourceType: "service-app", resource: "0oa1svc" });
    expect(resource.displayName).toBe("App 0oa1svc");
    const trait = pick(resource.annotations, NonHumanIdentityTraitSchema)!;
    expect(trait.nhiType).toBe(NonHumanIdentityTrait_NhiType.APP_REGISTRATION);
    expect(trait.nhiDetail).toBe(SERVICE_APP_NHI_DETAIL);
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("0oa1svc");
    expect(resource.profile).toMatchObject({ client_id: "0oa1svc", app_id: "0oa1svc", status: "ACTIVE", grant_types: ["client_credentials"], token_endpoint_auth_method: "private_key_jwt" });
    expect(resource.createdAt).toBeDefined();
  });

  it("uses a client id set at creation over the app id, and the app id when none is given", () => {
    const custom = oidc("0oa7", "service", { credentials: { oauthClient: { client_id: "terraform-ci_01" } } });
    expect(clientIdOf(custom)).toBe("terraform-ci_01");
    expect(serviceAppResourceOf(custom).id?.resource).toBe("terraform-ci_01");
    expect(serviceAppResourceOf(custom).profile).toMatchObject({ app_id: "0oa7" });
    expect(clientIdOf(oidc("0oa8", "service", { credentials: {} }))).toBe("0oa8");
  });
});

describe("role grants to service apps", () => {
  // Built here rather than with the role folder's mapper: this folder may use only shared/.
  const role = newResource({ type: "role", id: "SUPER_ADMIN", displayName: "Super Administrator" });
  const entitlement = roleAssignedEntitlementOf(role);

  it("the role entitlement is grantable to service apps besides users and groups", () => {
    expect(entitlement.grantableTo.map((t) => t.id)).toEqual(["user", "group", "service-app"]);
  });

  it("a service app's grant id is {entitlementId}:service-app:{clientId}, not expandable, with baton-okta's V1 grant shape", () => {
    const grant = roleGrantOf(entitlement, { type: "service-app", id: "0oa1svc" }, "role:SUPER_ADMIN");
    expect(grant.id).toBe("role:SUPER_ADMIN:assigned:service-app:0oa1svc");
    expect(grant.id).toBe(grantId(entitlement.id, "service-app", "0oa1svc"));
    expect(pick(grant.annotations, V1IdentifierSchema)?.id).toBe("grant:role:SUPER_ADMIN:0oa1svc");
    expect(has(grant.annotations, GrantExpandableSchema)).toBe(false);
  });

  it("a role's grants list users, then groups, then service apps", () => {
    const page = roleGrantsPage(entitlement, { label: "Super Administrator", users: ["00u1"], groups: ["00g1"], clients: ["0oa1svc"] }, undefined, "role:SUPER_ADMIN");
    expect(page.items.map((g) => g.id)).toEqual([
      "role:SUPER_ADMIN:assigned:user:00u1",
      "role:SUPER_ADMIN:assigned:group:00g1",
      "role:SUPER_ADMIN:assigned:service-app:0oa1svc",
    ]);
  });
});
