import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaBindingMember } from "../../okta/index.js";
import type { OktaLinks } from "../../okta/types.js";
import { grantExpandable, v1Identifier } from "../../protocol/annotations.js";
import { newAssignmentEntitlement, newGrant, newResource, resourceId } from "../../protocol/builders.js";
import { entitlementId } from "../../protocol/ids.js";
import { appTrait } from "../../protocol/traits.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { MEMBER_SLUG } from "../group/group-mappers.js";
import { GROUP_TYPE } from "../group/resource-type.js";
import { RESOURCE_SET_BINDING_TYPE } from "./resource-type.js";
import { SERVICE_APP_TYPE } from "../service-app/resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";

/** A custom role bound to a resource set → `resourceset-binding` resources, entitlement and grants: pure functions. */

export function bindingResourceOf(setId: string, setLabel: string, roleId: string): Resource {
  const profile = { resource_set_id: setId, role_id: roleId, label: setLabel };
  return newResource({
    type: RESOURCE_SET_BINDING_TYPE,
    id: `${setId}:${roleId}`,
    displayName: setLabel,
    profile,
    annotations: [appTrait({ profile }), v1Identifier(`${setId}:${roleId}`)],
  });
}

/**
 * The resource set and custom role a binding id (`{resourceSetId}:{customRoleId}`) names, or
 * undefined when it is not two non-empty parts joined by one `:`.
 */
export function bindingIdPartsOf(id: string): { setId: string; roleId: string } | undefined {
  const parts = id.split(":");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
  return { setId: parts[0]!, roleId: parts[1]! };
}

export function bindingMemberEntitlementOf(resource: Resource) {
  const label = resource.displayName;
  return newAssignmentEntitlement(resource, {
    slug: MEMBER_SLUG,
    displayName: `${label} Resource Set Binding Member`,
    description: `Holds a custom role on the ${label} resource set in Okta`,
    grantableTo: [USER_TYPE, GROUP_TYPE, SERVICE_APP_TYPE],
    annotations: [v1Identifier(`membership:${resource.id!.resource}`)],
  });
}

/** A binding member grant, as the sync lists it and as a Grant returns it. */
export function bindingGrantOf(entitlement: Entitlement, setId: string, roleId: string, principal: { readonly type: string; readonly id: string }) {
  return newGrant(entitlement, resourceId(principal.type, principal.id), [
    ...(principal.type === GROUP_TYPE.id ? [grantExpandable([entitlementId(GROUP_TYPE.id, principal.id, MEMBER_SLUG)])] : []),
    v1Identifier(`grant:membership:${setId}:${roleId}:${principal.id}`),
  ]);
}

/**
 * A member's `_links.self.href` names the user (`/api/v1/users/{id}`), the group (`/api/v1/groups/{id}`)
 * or the OAuth client app (`/oauth2/v1/clients/{clientId}`, a service app given the custom role).
 */
export function principalOf(member: OktaBindingMember): { type: string; id: string } | undefined {
  const self = (member._links as OktaLinks | undefined)?.["self"];
  const href = Array.isArray(self) ? self[0]?.href : self?.href;
  if (typeof href !== "string") return undefined;
  const client = /\/oauth2\/v1\/clients\/([A-Za-z0-9_-]+)(?:[/?#]|$)/.exec(href);
  if (client) return { type: SERVICE_APP_TYPE.id, id: client[1]! };
  const match = /\/api\/v1\/(users|groups)\/([A-Za-z0-9]+)(?:[/?#]|$)/.exec(href);
  if (!match) return undefined;
  return { type: match[1] === "users" ? USER_TYPE.id : GROUP_TYPE.id, id: match[2]! };
}
