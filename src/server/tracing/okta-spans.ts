import { SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type { OktaTrafficObserver } from "../okta-traffic.js";
import type { SpanScope } from "./span-scope.js";

/**
 * One CLIENT span per Okta request attempt, a child of the RPC span active when it was sent, named
 * after the method and a path template (`GET /api/v1/groups/{id}/users`). Attributes follow the
 * OpenTelemetry HTTP conventions plus Okta's rate-limit state and request id. The URL's query is never
 * recorded (a search can hold a login), and neither are headers (the credential rides in them).
 */
export function createOktaSpanObserver(options: { readonly tracer: Tracer; readonly scope: SpanScope; readonly orgUrl: string }): OktaTrafficObserver {
  const org = new URL(options.orgUrl);
  const port = org.port === "" ? (org.protocol === "https:" ? 443 : 80) : Number(org.port);
  return {
    attempt(info) {
      const template = pathTemplate(info.path);
      const span = options.tracer.startSpan(
        `${info.method} ${template}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            "http.request.method": info.method,
            "url.template": template,
            "url.path": info.path,
            "server.address": org.hostname,
            "server.port": port,
            "okta.rate_limit.bucket": info.bucket,
            ...(info.attempt > 0 ? { "http.request.resend_count": info.attempt } : {}),
          },
        },
        options.scope.active(),
      );
      return (outcome) => {
        if (outcome.status !== undefined) span.setAttribute("http.response.status_code", outcome.status);
        if (outcome.requestId !== undefined) span.setAttribute("okta.request_id", outcome.requestId);
        if (outcome.rateLimit !== undefined) {
          span.setAttributes({ "okta.rate_limit.limit": outcome.rateLimit.limit, "okta.rate_limit.remaining": outcome.rateLimit.remaining });
        }
        const errorType = outcome.status === undefined ? (outcome.failure ?? "network") : outcome.status >= 400 ? String(outcome.status) : undefined;
        if (errorType !== undefined) {
          span.setAttribute("error.type", errorType);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      };
    },
  };
}

/**
 * `/api/v1/groups/00g1abcd/users` → `/api/v1/groups/{id}/users`. Okta ids (00u…, 0oa…, cr0…, irb…)
 * mix letters and digits; fixed segments (`users`, `lifecycle`, role types such as SUPER_ADMIN) do not.
 */
export function pathTemplate(path: string): string {
  return path
    .split("/")
    .map((segment, i) => (i > 2 && /\d/.test(segment) && /[A-Za-z]/.test(segment) && segment !== "v1" ? "{id}" : segment))
    .join("/");
}

