import { notFound, simError } from "../core/errors.js";
import { pageLinks, parseLimit, startAfter, takePage } from "../http/paging.js";
import type { RequestContext, Route } from "../http/router.js";
import type { GroupRuleRecord } from "../org/types.js";
import { renderGroupRule } from "../render/group-rules.js";
import { ACCESS, ok } from "./common.js";

const EXPAND = "groupIdToGroupNameMap";

/**
 * Group rules: list (limit ≤ 200, default 50, after, search on the name, expand=groupIdToGroupNameMap)
 * and get. Okta counts /api/v1/groups/rules in the "all other" bucket. An OAuth app without an admin
 * role gets 403, not an empty page: rules are not one of the top-level lists Okta answers empty.
 */
export const groupRuleRoutes: Route[] = [
  {
    method: "GET", pattern: "/api/v1/groups/rules", bucket: "other", access: ACCESS.groupsRead,
    handle(ctx) {
      const expand = expandOf(ctx);
      const limit = parseLimit(ctx.query, { default: 50, max: 200 });
      const search = ctx.query.get("search")?.toLowerCase() ?? null;
      const rules = ctx.org.groupRules.all().filter((r) => search === null || r.name.toLowerCase().includes(search));
      const page = takePage(rules.slice(startAfter(rules, ctx.query.get("after"), (r) => r.id)), limit);
      const last = page.items[page.items.length - 1];
      return ok(page.items.map((r) => renderGroupRule(r, expand ? groupNamesOf(ctx, r) : undefined)), { Link: pageLinks(ctx, page.more && last ? last.id : null, limit) });
    },
  },
  {
    method: "GET", pattern: "/api/v1/groups/rules/:ruleId", bucket: "other", access: ACCESS.groupsRead,
    handle(ctx) {
      const id = ctx.params["ruleId"] ?? "";
      const rule = ctx.org.groupRules.get(id);
      if (!rule) throw notFound(id, "GroupRule");
      return ok(renderGroupRule(rule, expandOf(ctx) ? groupNamesOf(ctx, rule) : undefined));
    },
  },
];

function expandOf(ctx: RequestContext): boolean {
  const expand = ctx.query.get("expand");
  if (expand === null || expand === "") return false;
  if (expand !== EXPAND) throw simError("E0000001", { detail: "expand", causes: [`expand: '${expand}' is not supported here; use ${EXPAND}`] });
  return true;
}

/** The target groups that still exist, by id. */
function groupNamesOf(ctx: RequestContext, rule: GroupRuleRecord): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of rule.groupIds) {
    const group = ctx.org.groups.get(id);
    if (group) names[id] = group.profile.name;
  }
  return names;
}
