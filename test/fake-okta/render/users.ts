import type { UserRecord } from "../org/types.js";
import { iso, isoOrNull, link } from "./json-shapes.js";

/** How a user is rendered: list entries carry only `_links.self`; single GETs carry lifecycle links. */
export interface RenderUserOptions {
  single?: boolean;
  /** `Content-Type: application/json; okta-response=omitCredentials,…` (what baton-okta sends). */
  omitCredentials?: boolean;
  omitCredentialsLinks?: boolean;
}

const LIFECYCLE_LINKS: Record<string, readonly string[]> = {
  STAGED: ["activate", "deactivate"],
  PROVISIONED: ["reactivate", "deactivate"],
  ACTIVE: ["suspend", "deactivate", "resetPassword", "expirePassword"],
  RECOVERY: ["reactivate", "deactivate", "resetPassword"],
  PASSWORD_EXPIRED: ["deactivate", "resetPassword"],
  LOCKED_OUT: ["unlock", "deactivate", "resetPassword"],
  SUSPENDED: ["unsuspend", "deactivate"],
  DEPROVISIONED: ["activate"],
};

/** Renders a user as Okta's User object. */
export function renderUser(user: UserRecord, base: string, options: RenderUserOptions = {}): Record<string, unknown> {
  const path = `/api/v1/users/${user.id}`;
  const out: Record<string, unknown> = {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: isoOrNull(user.activated),
    statusChanged: isoOrNull(user.statusChanged),
    lastLogin: isoOrNull(user.lastLogin),
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: isoOrNull(user.passwordChanged),
    type: { id: user.typeId },
    profile: user.profile,
  };
  if (!options.omitCredentials) {
    out["credentials"] = user.hasPassword ? { password: {}, provider: user.provider } : { provider: user.provider };
  }
  const links: Record<string, unknown> = { self: link(base, path) };
  if (options.single) {
    for (const op of LIFECYCLE_LINKS[user.status] ?? []) {
      const target = op === "resetPassword" || op === "expirePassword" ? `${path}/lifecycle/${op === "resetPassword" ? "reset_password" : "expire_password"}` : `${path}/lifecycle/${op}`;
      links[op] = link(base, target, { method: "POST" });
    }
    if (!options.omitCredentialsLinks && user.hasPassword) links["changePassword"] = link(base, `${path}/credentials/change_password`, { method: "POST" });
    links["type"] = link(base, `/api/v1/meta/types/user/${user.typeId}`);
    links["schema"] = link(base, "/api/v1/meta/schemas/user/default");
  }
  out["_links"] = links;
  return out;
}

/** Reads Okta's `okta-response` media-type parameter from a Content-Type header. */
export function oktaResponseOptions(contentType: string | undefined): { omitCredentials: boolean; omitCredentialsLinks: boolean } {
  const match = /okta-response\s*=\s*"?([^";]*)"?/i.exec(contentType ?? "");
  const flags = new Set((match?.[1] ?? "").split(",").map((s) => s.trim()));
  return { omitCredentials: flags.has("omitCredentials"), omitCredentialsLinks: flags.has("omitCredentialsLinks") };
}
