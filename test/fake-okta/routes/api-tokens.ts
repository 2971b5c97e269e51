import { notFound } from "../core/errors.js";
import { pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { Route } from "../http/router.js";
import { renderApiToken } from "../render/api-tokens.js";
import { ACCESS, ok } from "./common.js";

/**
 * API token metadata: list (limit 1–200, default 20, `after`, `q`) and get. Okta's API reference documents
 * those list parameters; the 2026.06 OpenAPI spec declares none, and its SDKs page by the Link header.
 */
export const apiTokenRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/api-tokens", bucket: "other", access: ACCESS.apiTokensRead,
    handle(ctx) {
      const limit = parseLimit(ctx.query, { default: 20, max: 200 });
      // `q` finds tokens whose name or clientName starts with it, case-insensitively.
      const q = (ctx.query.get("q") ?? "").toLowerCase();
      const tokens = ctx.org.apiTokens.active().filter((t) => q === "" || t.name.toLowerCase().startsWith(q) || t.clientName.toLowerCase().startsWith(q));
      const start = startAfter(tokens, ctx.query.get("after"), (t) => t.id);
      const page = takePage(tokens.slice(start), limit);
      const last = page.items[page.items.length - 1];
      const next = page.more && last ? last.id : null;
      return ok(page.items.map((t) => renderApiToken(t, ctx.base)), { Link: pageLinks(ctx, next, limit) });
    },
  },
  {
    method: "GET", pattern: "/api/v1/api-tokens/:apiTokenId", bucket: "other", access: ACCESS.apiTokensRead,
    handle(ctx) {
      const key = ctx.params["apiTokenId"] ?? "";
      const token = ctx.org.apiTokens.get(key);
      if (!token) throw notFound(key, "ApiToken");
      return ok(renderApiToken(token, ctx.base));
    },
  },
];
