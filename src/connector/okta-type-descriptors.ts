import { apiTokenDescriptor } from "../types/api-token/api-token-descriptor.js";
import { appDescriptor } from "../types/app/app-descriptor.js";
import { deviceDescriptor } from "../types/device/device-descriptor.js";
import { customRoleDescriptor } from "../types/custom-role/custom-role-descriptor.js";
import { groupDescriptor } from "../types/group/group-descriptor.js";
import { groupRuleDescriptor } from "../types/group-rule/group-rule-descriptor.js";
import { resourceSetDescriptor } from "../types/resource-set/resource-set-descriptor.js";
import { resourceSetBindingDescriptor } from "../types/resourceset-binding/resourceset-binding-descriptor.js";
import { roleDescriptor } from "../types/role/role-descriptor.js";
import { serviceAppDescriptor } from "../types/service-app/service-app-descriptor.js";
import type { TypeFlag } from "../config/flags.js";
import type { OktaTypeDescriptor } from "../types/shared/type-context.js";
import { userDescriptor } from "../types/user/user-descriptor.js";

/**
 * Every resource type the connector serves: the one list of types. The registry orders them by their
 * declared dependencies; among types free to go, this order is kept, so ListResourceTypes reads the
 * same as it always has.
 */
export const OKTA_TYPE_DESCRIPTORS: readonly OktaTypeDescriptor[] = [
  userDescriptor,
  groupDescriptor,
  serviceAppDescriptor,
  roleDescriptor,
  appDescriptor,
  customRoleDescriptor,
  resourceSetDescriptor,
  resourceSetBindingDescriptor,
  deviceDescriptor,
  apiTokenDescriptor,
  groupRuleDescriptor,
];

/** The types' own flags, in the order of the list: the CLI adds them to `serve`, loadConfig reads them. */
export const OKTA_TYPE_FLAGS: readonly TypeFlag[] = OKTA_TYPE_DESCRIPTORS.flatMap((d) => d.flags ?? []);
