import { customRolesFlagGaps, syncsCustomRoles } from "../shared/custom-roles-flag.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createCustomRoleSyncer } from "./custom-role.js";
import { CUSTOM_ROLE_TYPE } from "./resource-type.js";

/** Custom admin roles (with --sync-custom-roles), held by users, groups and OAuth service apps. */
export const customRoleDescriptor: OktaTypeDescriptor = {
  resourceType: CUSTOM_ROLE_TYPE,
  needs: { read: "readRoles", write: "writeRoles" },
  dependsOn: ["user", "group", "service-app"],
  isEnabled: syncsCustomRoles,
  configurationGaps: customRolesFlagGaps,
  createSyncer: ({ api, client, assignments, rolesUnreadable }) => createCustomRoleSyncer({ okta: api.roles, client, assignments, rolesUnreadable }),
};
