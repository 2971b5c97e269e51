import type { ResourceSyncer } from "../../protocol/resource-syncer.js";
import { afterOf, cursorOf, noPage } from "../shared/cursor.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { SERVICE_APP_TYPE } from "./resource-type.js";
import { isServiceApp, serviceAppResourceOf } from "./service-app-mappers.js";
import type { ServiceAppOktaApi } from "./service-app-okta.js";

/**
 * OAuth API Services apps → `service-app` principals, whose admin roles appear as grants on the
 * `role`, `custom-role` and `resourceset-binding` types (shared/role-assignments.ts reads them).
 *
 * Every service app is listed, not only those holding a role:
 * - a reviewer sees the client-credentials apps that hold nothing today, and so can tell "no role"
 *   from "not synced";
 * - a Grant of a role to one needs the principal in the engine's snapshot first;
 * - it costs no call: which apps hold roles is only known by asking each one anyway.
 * Reading roles is the type's need (a Super Administrator); without it the type lists nothing and
 * reports the same gap as the role types, since a service app matters here only as a role holder.
 */
export interface ServiceAppSyncerDeps {
  readonly okta: Pick<ServiceAppOktaApi, "listApps">;
  /** Why the credential cannot read roles, or undefined when it can (asks Okta once, then cached). */
  readonly rolesUnreadable: RolesUnreadable;
}

export function createServiceAppSyncer(deps: ServiceAppSyncerDeps) {
  return {
    resourceType: SERVICE_APP_TYPE,
    coverageGaps: roleCoverageGaps(deps.rolesUnreadable),
    async list(_parent, cursor, ctx) {
      if (await deps.rolesUnreadable(ctx)) return { items: [] };
      const page = await deps.okta.listApps({ after: afterOf(cursor), signal: ctx.signal });
      return { items: page.items.filter(isServiceApp).map(serviceAppResourceOf), cursor: cursorOf(page.after) };
    },
    entitlements: noPage,
    grants: noPage,
  } satisfies ResourceSyncer;
}
