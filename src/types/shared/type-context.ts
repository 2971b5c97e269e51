import type { SyncOptions } from "../../config/config.js";
import type { TypeFlag } from "../../config/flags.js";
import type { OktaApi, OktaClient } from "../../okta/index.js";
import type { OktaCapability } from "../../okta/capability-report.js";
import type { ResourceTypeDescriptor } from "../../protocol/type-descriptor.js";
import { createServiceAppOktaApi } from "../service-app/service-app-okta.js";
import { createGroupRulesSource, type GroupRulesSource } from "./group-rules-source.js";
import { createResourceSetListings, type ResourceSetListings } from "./resource-set-listings.js";
import { createRoleAssignmentsSource, type RoleAssignmentsSource } from "./role-assignments.js";
import type { RolesUnreadable } from "./roles-access.js";
import type { TypeEventMapping } from "./system-log.js";
import type { UserGroupsLister } from "./user-groups.js";

/** What the connector hands every type's syncer factory: the Okta calls, the flags and the shared indexes. */
export interface TypeContext {
  /** The calls the core types share (users, groups, apps, roles). */
  readonly api: OktaApi;
  /**
   * The Okta client itself, for a type that defines its own calls in its folder (`<type>-okta.ts`,
   * over okta/'s `fetchPage`), so that adding a type does not edit okta/.
   */
  readonly client: OktaClient;
  readonly userGroups: UserGroupsLister;
  readonly options: SyncOptions;
  /** Why the credential cannot read admin roles (asks Okta once, then cached); undefined when it can. */
  readonly rolesUnreadable: RolesUnreadable;
  /** Who holds which admin role, read once per sync and shared by the role-related types. */
  readonly assignments: RoleAssignmentsSource;
  /** Every group rule, read once per sync and shared by the group-rule and group types. */
  readonly groupRules: GroupRulesSource;
  /** The resource sets and their bindings, read once per sync and shared by the resource-set and binding types. */
  readonly resourceSetListings: ResourceSetListings;
}

/**
 * A resource type of this connector: its needs are named as okta/capabilities.ts probes them, and it
 * may declare flags of its own (an opt-in such as --sync-devices), which the CLI, BATON_* variables
 * and the README's flag table take from here.
 */
export type OktaTypeDescriptor = ResourceTypeDescriptor<TypeContext, SyncOptions, OktaCapability> & {
  readonly flags?: readonly TypeFlag[];
  /** The System Log events that change what a sync of this type holds, and their baton events. */
  readonly events?: TypeEventMapping;
};

/** The context, with the indexes that several types share built once here rather than by the connector. */
export function createTypeContext(base: Omit<TypeContext, "assignments" | "groupRules" | "resourceSetListings">): TypeContext {
  const { api, client, options } = base;
  // OAuth service apps hold roles too (/oauth2/v1/clients/{id}/roles), read with everyone else's.
  const clients = createServiceAppOktaApi(client);
  return {
    ...base,
    assignments: createRoleAssignmentsSource({ roles: api.roles, groups: api.groups, users: api.users, clients, options }),
    groupRules: createGroupRulesSource(client),
    resourceSetListings: createResourceSetListings(api.roles),
  };
}
