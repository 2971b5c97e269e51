import type { JsonObject } from "@bufbuild/protobuf";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newResource } from "../../protocol/builders.js";
import { appRegistrationTrait } from "../../protocol/traits.js";
import { SERVICE_APP_TYPE } from "./resource-type.js";
import type { OktaOAuthApp } from "./service-app-okta.js";

/** Okta OAuth API Services apps → `service-app` principals: pure functions. */

/**
 * The NonHumanIdentityTrait detail: baton-okta's app detail (`okta.app.openid_connect`) narrowed to
 * the OAuth application type, so an engine tells a client-credentials principal from a sign-in app.
 */
export const SERVICE_APP_NHI_DETAIL = "okta.app.openid_connect.service";

/**
 * An API Services app: OIDC (`signOnMode: OPENID_CONNECT`) whose `settings.oauthClient.application_type`
 * is `service` (client credentials, no user). Web, SPA and native OIDC apps sign people in: not principals.
 */
export function isServiceApp(app: OktaOAuthApp): boolean {
  return app.signOnMode === "OPENID_CONNECT" && app.settings?.oauthClient?.application_type === "service";
}

/** The OAuth client id: Okta uses the app id unless one was set when the app was created. */
export function clientIdOf(app: OktaOAuthApp): string {
  const id = app.credentials?.oauthClient?.client_id;
  return typeof id === "string" && id !== "" ? id : app.id;
}

/**
 * A service app as a principal, keyed by its client id (the id the roles API and grant ids use:
 * `role:SUPER_ADMIN:assigned:service-app:{clientId}`), with the app id kept in the profile.
 */
export function serviceAppResourceOf(app: OktaOAuthApp): Resource {
  const clientId = clientIdOf(app);
  const grantTypes = app.settings?.oauthClient?.grant_types;
  const profile: JsonObject = {
    client_id: clientId,
    app_id: app.id,
    status: app.status,
    name: app.name,
    label: app.label,
    grant_types: Array.isArray(grantTypes) ? grantTypes.filter((g): g is string => typeof g === "string") : [],
    token_endpoint_auth_method: app.credentials?.oauthClient?.token_endpoint_auth_method ?? "",
  };
  const created = app.created ? new Date(app.created) : undefined;
  return newResource({
    type: SERVICE_APP_TYPE,
    id: clientId,
    displayName: app.label || clientId,
    description: `OAuth service app ${app.label || clientId} (client credentials)`,
    profile,
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
    annotations: [appRegistrationTrait(SERVICE_APP_NHI_DETAIL), v1Identifier(clientId), rawId(clientId)],
  });
}
