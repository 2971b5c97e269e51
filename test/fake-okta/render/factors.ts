import type { FactorRecord } from "../org/types.js";
import { iso, link } from "./json-shapes.js";

/** Renders a factor as Okta's UserFactor: `vendorName` repeats the provider; links depend on the status. */
export function renderFactor(factor: FactorRecord, userId: string, base: string): Record<string, unknown> {
  const path = `/api/v1/users/${userId}/factors/${factor.id}`;
  const links: Record<string, unknown> = {
    self: link(base, path, { hints: { allow: ["GET", "DELETE"] } }),
    user: link(base, `/api/v1/users/${userId}`, { hints: { allow: ["GET"] } }),
  };
  if (factor.status === "ACTIVE") links["verify"] = link(base, `${path}/verify`, { hints: { allow: ["POST"] } });
  if (factor.status === "PENDING_ACTIVATION") links["activate"] = link(base, `${path}/lifecycle/activate`, { hints: { allow: ["POST"] } });
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.provider,
    status: factor.status,
    created: iso(factor.created),
    lastUpdated: iso(factor.lastUpdated),
    profile: factor.profile,
    _links: links,
  };
}
