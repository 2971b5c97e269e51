import { customRolesFlagGaps, syncsCustomRoles } from "../shared/custom-roles-flag.js";
import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createResourceSetSyncer } from "./resource-set.js";
import { RESOURCE_SET_TYPE } from "./resource-type.js";

/** Resource sets (with --sync-custom-roles): their grants name the custom roles bound to them. Read only. */
export const resourceSetDescriptor: OktaTypeDescriptor = {
  resourceType: RESOURCE_SET_TYPE,
  needs: { read: "readRoles" },
  dependsOn: ["custom-role"],
  isEnabled: syncsCustomRoles,
  configurationGaps: customRolesFlagGaps,
  createSyncer: ({ client, rolesUnreadable, resourceSetListings }) => createResourceSetSyncer({ listings: resourceSetListings, client, rolesUnreadable }),
};
