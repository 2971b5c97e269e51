import { createHash } from "node:crypto";
import { create, type DescMessage, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type { PagePrefetcher } from "../page-prefetch.js";

/**
 * Serves one page of a paged listing through the prefetcher (page-prefetch.ts): from a page fetched
 * ahead when one is held for this exact request, else live; then fetches the page after it ahead.
 * `answer` computes the response for a page token, exactly as the live call does, so a prefetched
 * answer is the one the live call would have given when it was fetched.
 */
export function createPrefetchedPages(prefetcher: PagePrefetcher | undefined) {
  return async function servePage<S extends DescMessage, R extends MessageInitShape<S> & { readonly nextPageToken: string }>(
    ctx: HandlerContext,
    schema: S,
    /** Everything in the request but the page token that changes the answer: method, listing scope, page size. */
    requestKey: string,
    pageToken: string,
    answer: (pageToken: string, signal: AbortSignal) => Promise<R>,
  ): Promise<R> {
    if (prefetcher === undefined) return answer(pageToken, ctx.signal);
    const held = pageToken === "" ? undefined : await prefetcher.take<R>(`${requestKey}\n${pageToken}`, ctx.signal);
    const response = held ?? (await answer(pageToken, ctx.signal));
    const next = response.nextPageToken;
    if (next !== "") {
      prefetcher.prefetch(`${requestKey}\n${next}`, principalOf(ctx), async (signal) => {
        const value = await answer(next, signal);
        return { value, bytes: toBinary(schema, create(schema, value)).byteLength };
      });
    }
    return response;
  };
}

/**
 * Who the prefetch bound is counted against. connect-node's handler context does not expose the
 * HTTP/2 connection, so the bound is per caller credential: the bearer token (hashed, never kept),
 * or one shared principal for callers without one (mTLS and open listeners).
 */
function principalOf(ctx: HandlerContext): string {
  const authorization = ctx.requestHeader.get("authorization");
  return authorization === null ? "anonymous" : createHash("sha256").update(authorization).digest("base64url").slice(0, 16);
}
