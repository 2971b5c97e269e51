import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createServiceAppOktaApi } from "../service-app/service-app-okta.js";
import { ROLE_TYPE } from "./resource-type.js";
import { createRoleSyncer } from "./role.js";
import { roleEvents } from "./role-events.js";

/** Standard admin roles, held by users, groups and OAuth service apps. */
export const roleDescriptor: OktaTypeDescriptor = {
  resourceType: ROLE_TYPE,
  // Role writes need a Super Administrator, which reading roles tells apart (provisioning-access.ts).
  needs: { read: "readRoles", write: "writeRoles" },
  dependsOn: ["user", "group", "service-app"],
  events: roleEvents,
  createSyncer: ({ api, client, assignments, rolesUnreadable, options }) =>
    createRoleSyncer({ okta: api.roles, clients: createServiceAppOktaApi(client), assignments, rolesUnreadable, users: api.users, options }),
};
