import { createUserKeeper } from "../shared/email-filter.js";
import { customRolesFlagGaps, syncsCustomRoles } from "../shared/custom-roles-flag.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createServiceAppOktaApi } from "../service-app/service-app-okta.js";
import { createResourceSetBindingSyncer } from "./resource-set-binding.js";
import { RESOURCE_SET_BINDING_TYPE } from "./resource-type.js";
import { resourceSetBindingEvents } from "./resourceset-binding-events.js";

/** A custom role scoped to a resource set (with --sync-custom-roles), held by users, groups and OAuth service apps. */
export const resourceSetBindingDescriptor: OktaTypeDescriptor = {
  resourceType: RESOURCE_SET_BINDING_TYPE,
  needs: { read: "readRoles", write: "writeRoles" },
  dependsOn: ["user", "group", "service-app", "custom-role", "resource-set"],
  events: resourceSetBindingEvents,
  isEnabled: syncsCustomRoles,
  configurationGaps: customRolesFlagGaps,
  createSyncer: ({ api, client, assignments, rolesUnreadable, options, resourceSetListings }) =>
    createResourceSetBindingSyncer({
      okta: api.roles,
      listings: resourceSetListings,
      client,
      clients: createServiceAppOktaApi(client),
      assignments,
      rolesUnreadable,
      // A binding held by a user the email-domain filter leaves out is left out with the user.
      keepUser: createUserKeeper((id, o) => api.users.getUser(id, o), options.filterEmailDomains),
    }),
};
