import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createAppSyncer } from "./app.js";
import { APP_TYPE } from "./resource-type.js";
import { appEvents } from "./app-events.js";

/** Apps: assigned to users and to groups (whose members' access is expanded from the group). */
export const appDescriptor: OktaTypeDescriptor = {
  resourceType: APP_TYPE,
  // The probe has one directory read (listUsers, which Validate requires); groups and apps are read under it.
  needs: { read: "listUsers", write: "writeApps" },
  dependsOn: ["user", "group"],
  events: appEvents,
  configurationGaps: (o) => (o.syncInactiveApps ? [] : [{ scope: "resources", reason: "filtered", detail: "INACTIVE apps are left out", flag: "--skip-inactive-apps" }]),
  createSyncer: ({ api, userGroups, options }) => createAppSyncer({ okta: api.apps, groups: api.groups, userGroups, options }),
};
