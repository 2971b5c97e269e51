import { notFound, simError } from "../core/errors.js";
import { pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { DeviceRecord } from "../org/types.js";
import { renderDevice, renderDeviceUser } from "../render/devices.js";
import { ACCESS, ok } from "./common.js";

/** Devices: list (limit ≤ 200, after, expand=user), get, and a device's users. Okta counts them as "other". */
export const deviceRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/devices", bucket: "other", access: ACCESS.devicesList,
    handle(ctx) {
      const expand = ctx.query.get("expand");
      // Okta knows `user` and `userSummary`; the simulator serves the full form only.
      if (expand !== null && expand !== "user") throw simError("E0000001", { detail: "expand", causes: [`expand: '${expand}' is not supported here; use user`] });
      const limit = parseLimit(ctx.query, { default: 200, max: 200 });
      const devices = ctx.org.devices.all();
      const start = startAfter(devices, ctx.query.get("after"), (d) => d.id);
      const page = takePage(devices.slice(start), limit);
      const last = page.items[page.items.length - 1];
      const next = page.more && last ? last.id : null;
      const body = page.items.map((d) => renderDevice(d, ctx.base, expand === "user" ? ctx.org.devices.usersOf(d) : undefined));
      return ok(body, { Link: pageLinks(ctx, next, limit) });
    },
  },
  {
    method: "GET", pattern: "/api/v1/devices/:deviceId", bucket: "other", access: ACCESS.devicesRead,
    handle: (ctx) => ok(renderDevice(deviceParam(ctx), ctx.base)),
  },
  {
    method: "GET", pattern: "/api/v1/devices/:deviceId/users", bucket: "other", access: ACCESS.devicesRead,
    handle(ctx) {
      const device = deviceParam(ctx);
      return ok(ctx.org.devices.usersOf(device).map((u) => renderDeviceUser(u, ctx.base)));
    },
  },
];

function deviceParam(ctx: RequestContext): DeviceRecord {
  const key = ctx.params["deviceId"] ?? "";
  const device = ctx.org.devices.get(key);
  if (!device) throw notFound(key, "Device");
  return device;
}
