import type { AppUserView } from "../org/apps.js";
import type { AppRecord, GroupAssignment, OrgInfo } from "../org/types.js";
import { iso, isoOrNull, link } from "./json-shapes.js";

const USERNAME_TEMPLATE = { template: "${source.login}", type: "BUILT_IN" };

/** Renders an app as Okta's Application object, with the `settings` and `credentials` of its sign-on mode. */
export function renderApp(app: AppRecord, base: string, info: OrgInfo): Record<string, unknown> {
  const path = `/api/v1/apps/${app.id}`;
  const links: Record<string, unknown> = {
    self: link(base, path),
    users: link(base, `${path}/users`),
    groups: link(base, `${path}/groups`),
    logo: [{ name: "medium", href: `https://ok12static.oktacdn.com/fs/bco/4/${app.name}-medium.png`, type: "image/png" }],
    appLinks: [{ name: `${app.name}_link`, href: `${base}/home/${app.name}/${app.id}/${app.index + 1}`, type: "text/html" }],
    [app.status === "ACTIVE" ? "deactivate" : "activate"]: link(base, `${path}/lifecycle/${app.status === "ACTIVE" ? "deactivate" : "activate"}`),
  };
  if (app.signOnMode === "SAML_2_0") links["metadata"] = link(base, `${path}/sso/saml/metadata`, { type: "application/xml" });
  return {
    id: app.id,
    orn: `orn:okta:idp:${info.id}:apps:${app.name}:${app.id}`,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: iso(app.lastUpdated),
    created: iso(app.created),
    accessibility: { selfService: false },
    visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [`${app.name}_link`]: true } },
    features: app.features,
    signOnMode: app.signOnMode,
    credentials: credentialsFor(app),
    settings: settingsFor(app, info),
    _links: links,
  };
}

function credentialsFor(app: AppRecord): Record<string, unknown> {
  switch (app.signOnMode) {
    case "OPENID_CONNECT":
      // API Services apps authenticate with a signed JWT (private_key_jwt), as Okta requires for scoped tokens.
      return {
        userNameTemplate: USERNAME_TEMPLATE,
        oauthClient: { autoKeyRotation: true, client_id: app.clientId ?? app.id, token_endpoint_auth_method: app.applicationType === "service" ? "private_key_jwt" : "client_secret_basic" },
      };
    case "BROWSER_PLUGIN":
    case "AUTO_LOGIN":
      return { scheme: "EDIT_USERNAME_AND_PASSWORD", userNameTemplate: USERNAME_TEMPLATE, revealPassword: false, signing: {} };
    case "SAML_2_0":
      return { userNameTemplate: USERNAME_TEMPLATE, signing: { kid: `kid-${app.id}` } };
    default:
      return { userNameTemplate: USERNAME_TEMPLATE, signing: {} };
  }
}

function settingsFor(app: AppRecord, info: OrgInfo): Record<string, unknown> {
  switch (app.signOnMode) {
    case "SAML_2_0":
      return {
        app: {},
        signOn: {
          defaultRelayState: "",
          ssoAcsUrl: `${app.url}/saml/acs`,
          recipient: `${app.url}/saml/acs`,
          destination: `${app.url}/saml/acs`,
          audience: app.url,
          idpIssuer: `http://www.okta.com/exk${info.id.slice(3)}`,
          subjectNameIdTemplate: "${user.userName}",
          subjectNameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
          responseSigned: true,
          assertionSigned: true,
          signatureAlgorithm: "RSA_SHA256",
          digestAlgorithm: "SHA256",
          honorForceAuthn: true,
          authnContextClassRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
          attributeStatements: [],
          allowMultipleAcsEndpoints: false,
          requestCompressed: false,
        },
      };
    case "OPENID_CONNECT":
      if (app.applicationType === "service") {
        return {
          app: {},
          oauthClient: { response_types: ["token"], grant_types: ["client_credentials"], application_type: "service", consent_method: "REQUIRED", issuer_mode: "DYNAMIC" },
        };
      }
      return {
        app: {},
        oauthClient: {
          client_uri: app.url,
          redirect_uris: [`${app.url}/authorization-code/callback`],
          response_types: ["code"],
          grant_types: ["authorization_code", "refresh_token"],
          application_type: "web",
          consent_method: "REQUIRED",
          issuer_mode: "DYNAMIC",
        },
      };
    case "BOOKMARK":
      return { app: { requestIntegration: false, url: app.url } };
    case "BROWSER_PLUGIN":
      return { app: { buttonField: "#login-button", passwordField: "#password", usernameField: "#username", url: app.url } };
    case "AUTO_LOGIN":
      return { app: {}, signOn: { loginUrl: app.url } };
    default:
      return { app: {} };
  }
}

/** Renders an app user (AppUser). `embeddedUser` is the `expand=user` payload. */
export function renderAppUser(app: AppRecord, view: AppUserView, base: string, embeddedUser?: Record<string, unknown>): Record<string, unknown> {
  const { user, direct } = view;
  const firstGroup = view.groups[0];
  const provisioning = app.features.includes("PUSH_NEW_USERS");
  const created = direct ? direct.created : Math.max(firstGroup?.created ?? user.created, user.created);
  const lastUpdated = direct ? direct.lastUpdated : Math.max(firstGroup?.lastUpdated ?? created, created);
  const email = user.profile["email"];
  const profile: Record<string, unknown> = {
    ...(typeof email === "string" ? { email } : {}),
    firstName: user.profile["firstName"] ?? null,
    lastName: user.profile["lastName"] ?? null,
    ...(direct ? direct.profile : firstGroup?.profile ?? {}),
  };
  const links: Record<string, unknown> = { app: link(base, `/api/v1/apps/${app.id}`), user: link(base, `/api/v1/users/${user.id}`) };
  if (view.scope === "GROUP" && firstGroup) links["group"] = link(base, `/api/v1/groups/${firstGroup.groupId}`);
  const out: Record<string, unknown> = {
    id: user.id,
    ...(provisioning ? { externalId: `ext${user.id.slice(3)}` } : {}),
    created: iso(created),
    lastUpdated: iso(lastUpdated),
    scope: view.scope,
    status: provisioning ? "PROVISIONED" : "ACTIVE",
    statusChanged: iso(created),
    passwordChanged: isoOrNull(null),
    syncState: provisioning ? "SYNCHRONIZED" : "DISABLED",
    ...(provisioning ? { lastSync: iso(lastUpdated) } : {}),
    credentials: { userName: direct?.userName ?? user.profile.login },
    profile,
    _links: links,
  };
  if (embeddedUser) out["_embedded"] = { user: embeddedUser };
  return out;
}

/** Renders an app's group assignment (ApplicationGroupAssignment); its id is the group's id. */
export function renderAppGroup(app: AppRecord, assignment: GroupAssignment, base: string, embeddedGroup?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: assignment.groupId,
    lastUpdated: iso(assignment.lastUpdated),
    priority: assignment.priority,
    profile: assignment.profile,
    _links: {
      app: link(base, `/api/v1/apps/${app.id}`),
      self: link(base, `/api/v1/apps/${app.id}/groups/${assignment.groupId}`),
      group: link(base, `/api/v1/groups/${assignment.groupId}`),
    },
  };
  if (embeddedGroup) out["_embedded"] = { group: embeddedGroup };
  return out;
}
