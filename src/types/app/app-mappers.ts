import type { JsonObject } from "@bufbuild/protobuf";
import type { OktaApp } from "../../okta/index.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { appRegistrationTrait, appTrait } from "../../protocol/traits.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { APP_TYPE } from "./resource-type.js";

/** Okta apps → `app` resources: pure functions (their entitlement and grants are in app-grants.ts). */

/** Sign-on modes that are not identities of their own (no NHI trait), as in baton-okta. */
const NOT_AN_IDENTITY = new Set(["BOOKMARK", "BROWSER_PLUGIN", "AUTO_LOGIN", "BASIC_AUTH", "SECURE_PASSWORD_STORE"]);

export function appResourceOf(app: OktaApp): Resource {
  const signOnMode = app.signOnMode ?? "";
  const features = Array.isArray(app.features) ? app.features.filter((f): f is string => typeof f === "string") : [];
  const profile: JsonObject = {
    status: app.status,
    name: app.name,
    label: app.label,
    sign_on_mode: signOnMode,
    features,
    // Apps Okta provisions into (SCIM or API): engines create their own application records for these.
    provisioning: features.some((f) => f === "PUSH_NEW_USERS" || f === "PUSH_USER_DEACTIVATION" || f === "PUSH_PROFILE_UPDATES" || f === "IMPORT_NEW_USERS"),
  };
  const created = app.created ? new Date(app.created) : undefined;
  const annotations = [appTrait({ profile, rawSourceType: signOnMode }), v1Identifier(app.id), rawId(app.id)];
  if (!NOT_AN_IDENTITY.has(signOnMode)) annotations.push(appRegistrationTrait(signOnMode === "" ? "okta.app" : `okta.app.${signOnMode.toLowerCase()}`));
  return newResource({
    type: APP_TYPE,
    id: app.id,
    displayName: app.label,
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations,
  });
}
