import type { TypeFlag } from "../../config/flags.js";
import { optInGate } from "../shared/opt-in.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createApiTokenSyncer } from "./api-token.js";
import { API_TOKEN_TYPE } from "./resource-type.js";

/** baton-okta's opt-in (config.go `sync-secrets`); an OAuth app is asked for okta.apiTokens.read only with it. */
const SYNC_SECRETS: TypeFlag = {
  spec: { name: "sync-secrets", kind: "boolean", defaultValue: false, description: "Also sync Okta API tokens (metadata, never their values) as secrets owned by their admins (needs okta.apiTokens.read)" },
  oauthScopes: ["okta.apiTokens.read"],
};

/** API tokens (with --sync-secrets), owned by users. */
export const apiTokenDescriptor: OktaTypeDescriptor = {
  resourceType: API_TOKEN_TYPE,
  // Listed under the directory read the probe checks; an admin Okta refuses the token listing (403)
  // gets a missing-permission gap from the syncer's own probe instead.
  needs: { read: "listUsers" },
  // The SecretTrait names the owner's user resource: users go first, so that id is already known.
  dependsOn: ["user"],
  flags: [SYNC_SECRETS],
  ...optInGate(SYNC_SECRETS, "API tokens are not synced"),
  createSyncer: ({ client }) => createApiTokenSyncer({ client }),
};
