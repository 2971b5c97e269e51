import type { ResourceSyncer, SyncCallContext } from "../../protocol/resource-syncer.js";
import { validateOktaId } from "../../okta/index.js";
import { afterOf, allPages, cursorOf, noPage } from "../shared/cursor.js";
import { leftOutByListing, requireReadable } from "../shared/get-resource.js";
import { isOktaFailure } from "../shared/provisioning.js";
import { GET_RESOURCE_ID_FIELD } from "../shared/request-fields.js";
import { roleCoverageGaps, type RolesUnreadable } from "../shared/roles-access.js";
import { SERVICE_APP_TYPE } from "./resource-type.js";
import { clientIdOf, isServiceApp, serviceAppResourceOf } from "./service-app-mappers.js";
import type { OktaOAuthApp, ServiceAppOktaApi } from "./service-app-okta.js";

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
  readonly okta: Pick<ServiceAppOktaApi, "listApps" | "getApp">;
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
    async get(id, _parent, ctx) {
      await requireReadable(id, deps.rolesUnreadable, ctx);
      const clientId = validateOktaId("oauthClient", id.resource, GET_RESOURCE_ID_FIELD);
      const app = await appOfClient(deps.okta, clientId, ctx);
      if (!app) return undefined;
      if (!isServiceApp(app)) throw leftOutByListing(id, `app ${app.id} is not an OAuth API service app (${app.signOnMode ?? "no sign-on mode"}${app.settings?.oauthClient?.application_type ? `, ${app.settings.oauthClient.application_type}` : ""}): it signs people in rather than acting as itself`);
      return serviceAppResourceOf(app);
    },
    entitlements: noPage,
    grants: noPage,
  } satisfies ResourceSyncer;
}

/**
 * The app whose OAuth client id is `clientId`. Okta uses the app id as the client id unless one was
 * given when the app was made, so one `GET /apps/{clientId}` answers almost always; otherwise (an
 * id that is not an app's, or an app with another client id) only the app listing can tell:
 * ⌈apps / 200⌉ calls more, for ids the connector has never listed or that were set by hand.
 */
async function appOfClient(okta: Pick<ServiceAppOktaApi, "listApps" | "getApp">, clientId: string, ctx: SyncCallContext): Promise<OktaOAuthApp | undefined> {
  if (/^[A-Za-z0-9]+$/.test(clientId)) {
    try {
      const app = await okta.getApp(clientId, { signal: ctx.signal });
      if (clientIdOf(app) === clientId) return app;
    } catch (error) {
      if (!isOktaFailure(error, "not-found")) throw error;
    }
  }
  const apps = await allPages("/api/v1/apps", (after) => okta.listApps({ after, signal: ctx.signal }));
  return apps.find((a) => clientIdOf(a) === clientId);
}
