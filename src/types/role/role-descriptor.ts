import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { ROLE_TYPE } from "./resource-type.js";
import { createRoleSyncer } from "./role.js";

/** Standard admin roles, held by users and groups. */
export const roleDescriptor: OktaTypeDescriptor = {
  resourceType: ROLE_TYPE,
  // Role writes need a Super Administrator, which reading roles tells apart (provisioning-access.ts).
  needs: { read: "readRoles", write: "writeRoles" },
  dependsOn: ["user", "group"],
  createSyncer: ({ api, assignments, rolesUnreadable }) => createRoleSyncer({ okta: api.roles, assignments, rolesUnreadable }),
};
