import { anyIs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { GrantExpandableSchema, GrantImmutableSchema } from "../../../gen/c1/connector/v2/annotation_grant_pb.js";
import { pick } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { accessEntitlementOf, appGroupDerivedGrantOf, appGroupGrantOf, appUserGrantOf } from "./app-grants.js";
import { APP_TYPE } from "./resource-type.js";

const entitlement = accessEntitlementOf(newResource({ type: APP_TYPE, id: "0oa1slackAPP", displayName: "Slack", annotations: [] }));
const sourcesOf = (grant: { sources?: { sources: Record<string, { isDirect: boolean }> } | undefined }) =>
  grant.sources === undefined ? undefined : Object.fromEntries(Object.entries(grant.sources.sources).map(([id, s]) => [id, s.isDirect]));

// The shapes baton-sdk v0.25.0's expansion writes (expander.go newExpandedGrant / applyDestGrant), so a
// grant the connector writes itself reads the same in a c1z as one the engine derives.
describe("app access grants", () => {
  it("a group's assignment is GrantExpandable from the group's members by default, and not when the connector attributes access", () => {
    const expandable = appGroupGrantOf(entitlement, "0oa1slackAPP", "00g1eng");
    expect(expandable.id).toBe("app:0oa1slackAPP:access:group:00g1eng");
    expect(pick(expandable.annotations, GrantExpandableSchema)).toMatchObject({ entitlementIds: ["group:00g1eng:member"], shallow: true });
    const plain = appGroupGrantOf(entitlement, "0oa1slackAPP", "00g1eng", { expandable: false });
    expect(plain.annotations.some((a) => anyIs(a, GrantExpandableSchema))).toBe(false);
    expect(plain.id).toBe(expandable.id);
  });

  it.each([
    ["a direct assignment, no group", [], undefined],
    ["a direct assignment that groups also give", ["00g1eng", "00g2all"], { "app:0oa1slackAPP:access": true, "group:00g1eng:member": true, "group:00g2all:member": true }],
  ])("%s: mutable, sources name itself as direct plus the groups", (_name, groups, sources) => {
    const grant = appUserGrantOf(entitlement, "0oa1slackAPP", "00u1alice", groups);
    expect(grant.id).toBe("app:0oa1slackAPP:access:user:00u1alice");
    expect(sourcesOf(grant)).toEqual(sources);
    expect(grant.annotations.some((a) => anyIs(a, GrantImmutableSchema))).toBe(false);
  });

  it("access only through groups: GrantImmutable, sources name the groups and not the grant itself", () => {
    const grant = appGroupDerivedGrantOf(entitlement, "0oa1slackAPP", "00u2bob", ["00g1eng", "00g3apps"]);
    expect(grant.id).toBe("app:0oa1slackAPP:access:user:00u2bob");
    expect(sourcesOf(grant)).toEqual({ "group:00g1eng:member": true, "group:00g3apps:member": true });
    expect(grant.annotations.some((a) => anyIs(a, GrantImmutableSchema))).toBe(true);
    expect(grant.annotations.some((a) => anyIs(a, GrantExpandableSchema))).toBe(false);
  });
});
