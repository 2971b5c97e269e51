import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import type { OktaClient, OktaRolesApi } from "../../okta/index.js";
import { ConnectorError } from "../../protocol/errors.js";
import type { Cursor, ResourceSyncer } from "../../protocol/resource-syncer.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import { validateOktaId } from "../../okta/index.js";
import { afterOf, cursorOf } from "../shared/cursor.js";
import { principalOf as requestPrincipalOf, requireEntitlement, requireGrantId, ROLE_PRINCIPAL_TYPES } from "../shared/provisioning.js";
import { assignRole, type RoleProvisioningDeps, type RoleTarget, unassignRole } from "../shared/role-provisioning.js";
import { GET_RESOURCE_ID_FIELD, LISTED_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { notThatResource, requireReadable } from "../shared/get-resource.js";
import { getResourceSet } from "../resource-set/resource-set-okta.js";
import { getBinding } from "./resourceset-binding-okta.js";
import { RESOURCE_SET_BINDING_TYPE } from "./resource-type.js";
import { USER_TYPE } from "../user/resource-type.js";
import { type UserKeeper } from "../shared/email-filter.js";
import type { ResourceSetListings } from "../shared/resource-set-listings.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { bindingGrantOf, bindingIdPartsOf, bindingMemberEntitlementOf, bindingResourceOf, principalOf } from "./resourceset-binding-mappers.js";

/**
 * A custom role bound to a resource set → a `resourceset-binding` resource with id
 * `{resourceSetId}:{customRoleId}` (baton-okta's id), whose `member` grants are the users, groups and
 * OAuth service apps holding that role on that set. Granting one assigns the custom role on the set to the principal
 * (`POST …/roles` with `{type: "CUSTOM", role, "resource-set"}`, which Okta records as a binding
 * member); revoking deletes that assignment.
 */
export interface ResourceSetBindingSyncerDeps extends RoleProvisioningDeps {
  readonly okta: RoleProvisioningDeps["okta"] & Pick<OktaRolesApi, "listBindingMembers">;
  /** The resource sets and their bindings, read once per sync with the resource-set type. */
  readonly listings: ResourceSetListings;
  /** For GetResource: the resource set (its label names the binding) and the binding, read live. */
  readonly client: OktaClient;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
  /** Whether a user member is synced (--filter-email-domains); members name users only by id. */
  readonly keepUser?: UserKeeper;
}

/**
 * Where a binding listing stands: the resource sets of the current page still to visit (with labels,
 * which name the bindings), the `after` of the next page of sets, and the `after` within the bindings
 * of the first set. Carrying the ids avoids re-reading a page of sets for every set.
 */
interface BindingListCursor {
  readonly sets?: readonly { readonly id: string; readonly label: string }[];
  readonly setsAfter?: string;
  readonly bindingsAfter?: string;
}

/** The custom role and resource set a binding entitlement names, validated before they reach a URL or body. */
function bindingTargetOf(entitlement: Entitlement, field: string): { setId: string; roleId: string; target: RoleTarget } {
  requireEntitlement(entitlement, bindingMemberEntitlementOf(entitlement.resource!), field);
  const [rawSet, rawRole] = bindingIdsOf(entitlement.resource!);
  const setId = validateOktaId("resourceSet", rawSet, `${field}.resource.id.resource (resource set)`);
  const roleId = validateOktaId("customRole", rawRole, `${field}.resource.id.resource (custom role)`);
  return { setId, roleId, target: { kind: "custom", customRoleId: roleId, resourceSetId: setId } };
}

export function createResourceSetBindingSyncer(deps: ResourceSetBindingSyncerDeps) {
  return {
    resourceType: RESOURCE_SET_BINDING_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const c = (cursor ?? {}) as BindingListCursor;
      let sets = c.sets;
      let setsAfter = c.setsAfter;
      if (sets === undefined) {
        const page = await deps.listings.resourceSets(ctx, setsAfter);
        sets = page.items.map((s) => ({ id: s.id, label: s.label }));
        setsAfter = page.after;
      }
      const current = sets[0];
      if (current === undefined) return { items: [], cursor: setsAfter === undefined ? undefined : { setsAfter } };
      const bindings = await deps.listings.bindings(ctx, current.id, c.bindingsAfter);
      const items = bindings.items.map((b) => bindingResourceOf(current.id, current.label, b.id));
      const rest = sets.slice(1);
      const next: BindingListCursor | undefined =
        bindings.after !== undefined ? { sets, ...(setsAfter ? { setsAfter } : {}), bindingsAfter: bindings.after }
        : rest.length > 0 ? { sets: rest, ...(setsAfter ? { setsAfter } : {}) }
        : setsAfter !== undefined ? { setsAfter }
        : undefined;
      return { items, cursor: next as Cursor | undefined };
    },
    /** Two calls at once: the set, for the label the listing names the binding with, and the binding itself. */
    async get(id, _parent, ctx) {
      await requireReadable(id, deps.rolesUnreadable, ctx);
      const parts = bindingIdPartsOf(id.resource);
      if (!parts) throw new ConnectorError("invalid", `${GET_RESOURCE_ID_FIELD}: ${JSON.stringify(id.resource.slice(0, 130))} is not a binding id ({resourceSetId}:{customRoleId})`);
      const setId = validateOktaId("resourceSet", parts.setId, `${GET_RESOURCE_ID_FIELD} (resource set)`);
      const roleId = validateOktaId("customRole", parts.roleId, `${GET_RESOURCE_ID_FIELD} (custom role)`);
      const [set, binding] = await Promise.all([
        getResourceSet(deps.client, setId, { signal: ctx.signal }),
        getBinding(deps.client, setId, roleId, { signal: ctx.signal }),
      ]);
      // Both paths also take labels: only the set and role with the asked ids make this binding.
      if (set.id !== setId || binding.id !== roleId) throw notThatResource(id);
      return bindingResourceOf(set.id, set.label, binding.id);
    },
    async entitlements(resource) {
      return { items: [bindingMemberEntitlementOf(resource)] };
    },
    async grants(resource, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const [rawSet, rawRole] = bindingIdsOf(resource);
      const setId = validateOktaId("resourceSet", rawSet, `${LISTED_RESOURCE_ID_FIELD} (resource set)`);
      const roleId = validateOktaId("customRole", rawRole, `${LISTED_RESOURCE_ID_FIELD} (custom role)`);
      const entitlement = bindingMemberEntitlementOf(resource);
      const page = await deps.okta.listBindingMembers(setId, roleId, { after: afterOf(cursor), signal: ctx.signal });
      const items = [];
      for (const member of page.items) {
        const principal = principalOf(member);
        if (!principal) continue;
        if (principal.type === USER_TYPE.id && deps.keepUser && !(await deps.keepUser(principal.id, ctx))) continue;
        items.push(bindingGrantOf(entitlement, setId, roleId, principal));
      }
      return { items, cursor: cursorOf(page.after) };
    },

    async grant(principal, entitlement, ctx) {
      const who = requestPrincipalOf(principal.id!, ROLE_PRINCIPAL_TYPES, "principal.id");
      const { setId, roleId, target } = bindingTargetOf(entitlement, "entitlement");
      const { alreadyExists } = await assignRole(deps, who, target, ctx);
      return { grants: [bindingGrantOf(entitlement, setId, roleId, who)], alreadyExists };
    },

    async revoke(grant, ctx) {
      const who = requestPrincipalOf(grant.principal!.id!, ROLE_PRINCIPAL_TYPES, "grant.principal.id");
      requireGrantId(grant, who);
      return unassignRole(deps, who, bindingTargetOf(grant.entitlement!, "grant.entitlement").target, ctx);
    },
  } satisfies ResourceSyncer;
}

function bindingIdsOf(resource: Resource): [string, string] {
  const setId = resource.profile?.["resource_set_id"];
  const roleId = resource.profile?.["role_id"];
  if (typeof setId === "string" && typeof roleId === "string") return [setId, roleId];
  const [a = "", b = ""] = resource.id!.resource.split(":");
  return [a, b];
}
