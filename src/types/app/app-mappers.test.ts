import { describe, expect, it } from "vitest";
import { AppTraitSchema, NonHumanIdentityTraitSchema } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import { V1IdentifierSchema } from "../../../gen/c1/connector/v2/annotation_v1_identifier_pb.js";
import { pick } from "../../protocol/annotations.js";
import { appResourceOf } from "./app-mappers.js";

const app = { id: "0oa1slack", name: "slack", label: "Slack", status: "ACTIVE" };

describe("appResourceOf", () => {
  it("keeps Okta's id and label, and says whether Okta provisions into the app", () => {
    const resource = appResourceOf({ ...app, signOnMode: "SAML_2_0", features: ["PUSH_NEW_USERS"] });
    expect(resource.id).toMatchObject({ resourceType: "app", resource: "0oa1slack" });
    expect(resource.displayName).toBe("Slack");
    expect(pick(resource.annotations, V1IdentifierSchema)?.id).toBe("0oa1slack");
    expect(resource.profile?.["provisioning"]).toBe(true);
    expect(pick(resource.annotations, AppTraitSchema)).toBeDefined();
  });

  it("an app that signs in on its own is an app registration; a bookmark is not an identity", () => {
    expect(pick(appResourceOf({ ...app, signOnMode: "OPENID_CONNECT" }).annotations, NonHumanIdentityTraitSchema)?.nhiDetail).toBe("okta.app.openid_connect");
    expect(pick(appResourceOf({ ...app, signOnMode: "BOOKMARK" }).annotations, NonHumanIdentityTraitSchema)).toBeUndefined();
  });
});
