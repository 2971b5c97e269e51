import { skipEntitlementsAndGrants } from "../../protocol/annotations.js";
import { oktaResourceType } from "../shared/okta-resource-type.js";

/**
 * OAuth API Services apps as principals: they hold admin roles, so they appear as grants on the role
 * types. No resource-type trait fits a non-human principal (TRAIT_APP would make engines treat it as
 * an application to govern, which the `app` type already is); each resource carries the
 * NonHumanIdentityTrait instead. A principal has no entitlements of its own, as users.
 */
export const SERVICE_APP_TYPE = oktaResourceType("service-app", "OAuth Service App", [], ["okta.apps.read", "okta.roles.read"], [skipEntitlementsAndGrants()]);
