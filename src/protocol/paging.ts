import { Code, ConnectError } from "@connectrpc/connect";
import { decodePageToken, encodePageToken, PageTokenError, type PageTokenKey } from "./page-token.js";
import type { Cursor, Page } from "./resource-syncer.js";

/**
 * Runs one page of a listing: decodes the request's page token into the syncer's cursor, fetches,
 * and wraps the next cursor in a new token. `scope` names the listing (type, parent or resource), so a
 * token cannot be replayed against another listing.
 */
export async function runPage<T>(options: {
  readonly key: PageTokenKey;
  readonly scope: string;
  readonly pageToken: string;
  readonly fetch: (cursor: Cursor | undefined) => Promise<Page<T>>;
}): Promise<{ items: readonly T[]; nextPageToken: string }> {
  const cursor = options.pageToken === "" ? undefined : decodeCursor(options.key, options.scope, options.pageToken);
  const page = await options.fetch(cursor as Cursor | undefined);
  if (page.cursor === undefined) return { items: page.items, nextPageToken: "" };
  const nextPageToken = encodePageToken(options.key, options.scope, page.cursor);
  if (nextPageToken === options.pageToken) {
    // The engine would request the same page forever; baton-sdk's own server refuses this too.
    throw new ConnectError(`listing ${options.scope} returned the page token it was given`, Code.Internal);
  }
  return { items: page.items, nextPageToken };
}

export function decodeCursor(key: PageTokenKey, scope: string, token: string, field = "page_token"): unknown {
  try {
    return decodePageToken(key, scope, token);
  } catch (error) {
    if (error instanceof PageTokenError) throw new ConnectError(`${field}: ${error.message}`, Code.InvalidArgument);
    throw error;
  }
}
