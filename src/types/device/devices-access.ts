import type { OktaDevicesApi } from "./device-okta.js";
import { isOktaError } from "../../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";

/**
 * Why the credential cannot list devices, or undefined when it can: asks `GET /api/v1/devices?limit=1`
 * once and keeps a granted or refused answer (any other failure is thrown and asked again next time).
 * An OAuth app not granted okta.devices.read gets its token without the scope, silently, and a 403
 * on the listing; reported as a gap, that leaves the rest of the sync whole instead of failing it.
 */
export type DevicesUnreadable = (ctx: SyncCallContext) => Promise<CoverageGap | undefined>;

export function createDevicesUnreadable(okta: Pick<OktaDevicesApi, "probeDevices">): DevicesUnreadable {
  let answer: Promise<CoverageGap | undefined> | undefined;
  return (ctx) => {
    answer ??= okta.probeDevices({ signal: ctx.signal }).then(
      () => undefined,
      (error: unknown) => {
        if (isOktaError(error) && error.kind === "forbidden") {
          return {
            scope: "resources",
            reason: "missing-permission",
            detail: "listing devices needs an admin role that reads devices and, for an OAuth app, the okta.devices.read scope (Okta answered 403)",
          } satisfies CoverageGap;
        }
        answer = undefined;
        throw error;
      },
    );
    return answer;
  };
}
