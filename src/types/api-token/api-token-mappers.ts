import type { JsonObject } from "@bufbuild/protobuf";
import { SecretTrait_CredentialType } from "../../../gen/c1/connector/v2/annotation_trait_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { rawId, v1Identifier } from "../../protocol/annotations.js";
import { newResource, resourceId } from "../../protocol/builders.js";
import { secretTrait } from "../../protocol/traits.js";
import { USER_TYPE } from "../user/resource-type.js";
import type { OktaApiToken } from "./api-token-okta.js";
import { API_TOKEN_TYPE } from "./resource-type.js";

/** Okta API token metadata → `api-token` resources: pure functions. */

/** baton-okta's credential detail for an Okta SSWS token. */
export const API_TOKEN_DETAIL = "okta.api_token";

const str = (value: unknown): string => (typeof value === "string" ? value : "");

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * An API token as baton-okta builds it: named by `name`, a STATIC_SECRET whose identity and creator
 * are the owner (the token acts as that user, and only that user can have made it), expiring at
 * `expiresAt`, last used at `lastUpdated`: Okta renews a token on each use, so its `expiresAt` is
 * `lastUpdated` + `tokenWindow` in Okta's own examples. Okta never returns a token's value; the
 * profile is built from named metadata fields only, so nothing else Okta might add is copied.
 * A token without `userId` (baton-okta would panic) gets no owner rather than a made-up one.
 */
export function apiTokenResourceOf(token: OktaApiToken): Resource {
  const owner = str(token.userId) === "" ? undefined : resourceId(USER_TYPE.id, str(token.userId));
  const created = dateOf(token.created);
  const expiresAt = dateOf(token.expiresAt);
  const lastUsedAt = dateOf(token.lastUpdated);
  const profile: JsonObject = {
    client_name: str(token.clientName),
    token_window: str(token.tokenWindow),
    network_connection: str(token.network?.connection),
  };
  return newResource({
    type: API_TOKEN_TYPE,
    id: token.id,
    displayName: str(token.name) || token.id,
    profile,
    ...(created ? { createdAt: created } : {}),
    annotations: [
      secretTrait({
        credentialType: SecretTrait_CredentialType.STATIC_SECRET,
        credentialDetail: API_TOKEN_DETAIL,
        ...(owner ? { identity: owner, createdBy: owner } : {}),
        ...(created ? { createdAt: created } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        ...(lastUsedAt ? { lastUsedAt } : {}),
      }),
      v1Identifier(token.id),
      rawId(token.id),
    ],
  });
}
