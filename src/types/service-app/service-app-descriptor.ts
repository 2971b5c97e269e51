import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { SERVICE_APP_TYPE } from "./resource-type.js";
import { createServiceAppSyncer } from "./service-app.js";
import { createServiceAppOktaApi } from "./service-app-okta.js";

/**
 * OAuth API Services apps, as the principals holding admin roles: on by default (no flag), and
 * listed only when roles are readable, like the role types whose grants name them.
 */
export const serviceAppDescriptor: OktaTypeDescriptor = {
  resourceType: SERVICE_APP_TYPE,
  // A service app matters here as a role holder, so it needs what reading roles needs (a Super
  // Administrator); its role grants and their provisioning belong to the role types.
  needs: { read: "readRoles" },
  dependsOn: [],
  createSyncer: ({ client, rolesUnreadable }) => createServiceAppSyncer({ okta: createServiceAppOktaApi(client), rolesUnreadable }),
};
