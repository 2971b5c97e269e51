import { isOktaError } from "../../okta/index.js";
import type { CoverageGap, SyncCallContext } from "../../protocol/resource-syncer.js";

/** Why the credential cannot list a type, or undefined when it can. */
export type ListingRefusal = (ctx: SyncCallContext) => Promise<CoverageGap | undefined>;

/**
 * Asks once whether the credential may list a type (`probe` is one cheap `limit=1` listing) and keeps a
 * granted or refused answer; any other failure is thrown and asked again next time. Okta refuses with
 * 403 an admin whose role does not reach the type and an OAuth app not granted its scope (the token is
 * issued without the scope, silently). Reported as a missing-permission gap saying `detail`, the rest of
 * the sync stays whole instead of failing on the refused listing.
 */
export function createListingRefusal(probe: (options: { signal: AbortSignal }) => Promise<void>, detail: string): ListingRefusal {
  let answer: Promise<CoverageGap | undefined> | undefined;
  return (ctx) => {
    answer ??= probe({ signal: ctx.signal }).then(
      () => undefined,
      (error: unknown) => {
        if (isOktaError(error) && error.kind === "forbidden") return { scope: "resources", reason: "missing-permission", detail } satisfies CoverageGap;
        answer = undefined;
        throw error;
      },
    );
    return answer;
  };
}
