import { isOktaError } from "../../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";

/**
 * Why the credential cannot list API tokens, or undefined when it can: asks once (`probe` is one
 * `limit=1` listing) and keeps a granted or refused answer; any other failure is thrown and asked again
 * next time. Okta refuses the listing with 403 to an admin whose role does not reach Security > API
 * (an app or group-membership admin) and to an OAuth app without okta.apiTokens.read; reported as a
 * gap, the rest of the sync stays whole instead of failing on it.
 */
export type ApiTokensUnreadable = (ctx: SyncCallContext) => Promise<CoverageGap | undefined>;

export function createApiTokensUnreadable(probe: (options: { signal: AbortSignal }) => Promise<void>): ApiTokensUnreadable {
  let answer: Promise<CoverageGap | undefined> | undefined;
  return (ctx) => {
    answer ??= probe({ signal: ctx.signal }).then(
      () => undefined,
      (error: unknown) => {
        if (isOktaError(error) && error.kind === "forbidden") {
          return {
            scope: "resources",
            reason: "missing-permission",
            detail: "listing API tokens needs an admin role that reads them (super or read-only admin) and, for an OAuth app, the okta.apiTokens.read scope (Okta answered 403)",
          } satisfies CoverageGap;
        }
        answer = undefined;
        throw error;
      },
    );
    return answer;
  };
}
