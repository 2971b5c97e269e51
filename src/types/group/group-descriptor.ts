import type { OktaTypeDescriptor } from "../shared/type-context.js";
import { createGroupSyncer } from "./group.js";
import { GROUP_TYPE } from "./resource-type.js";
import { groupEvents } from "./group-events.js";

/** Groups: their members are users. */
export const groupDescriptor: OktaTypeDescriptor = {
  resourceType: GROUP_TYPE,
  // The probe has one directory read (listUsers, which Validate requires); groups and apps are read under it.
  needs: { read: "listUsers", write: "writeGroups" },
  dependsOn: ["user"],
  events: groupEvents,
  configurationGaps: (o) => (o.skipAppGroups ? [{ scope: "resources", reason: "filtered", detail: "APP_GROUP groups are left out", flag: "--skip-app-groups" }] : []),
  createSyncer: ({ api, userGroups, groupRules, options }) => createGroupSyncer({ okta: api.groups, users: api.users, userGroups, rules: groupRules, options }),
};
