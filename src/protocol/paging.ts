import { Code, ConnectError } from "@connectrpc/connect";
import { advanceListing, historyFrom } from "./listing-loop.js";
import { decodePageTokenPayload, encodePageToken, PageTokenError, type PageTokenKey } from "./page-token.js";
import type { Cursor, Page } from "./resource-syncer.js";
import type { OktaCallTally } from "./services/connector-definition.js";

/** ConnectorDefinition.countOktaCalls, or nothing when the connector does not count. */
export type OktaCallCounter = <T>(tally: OktaCallTally, run: () => Promise<T>) => Promise<T>;

/**
 * Fetches one page, noting the Okta endpoint it called last, so that a listing that goes wrong can be
 * reported by the endpoint that misbehaved rather than by our own scope names.
 */
export async function fetchCounted<T>(count: OktaCallCounter | undefined, fetch: () => Promise<Page<T>>): Promise<{ page: Page<T>; endpoint: string | undefined }> {
  if (count === undefined) return { page: await fetch(), endpoint: undefined };
  const tally: OktaCallTally = { calls: 0, rateLimited: 0, lastCall: "" };
  const page = await count(tally, fetch);
  return { page, endpoint: tally.lastCall === "" ? undefined : tally.lastCall };
}

/**
 * Runs one page of a listing: decodes the request's page token into the syncer's cursor, fetches,
 * and wraps the next cursor in a new token. `scope` names the listing (type, parent or resource), so a
 * token cannot be replayed against another listing. The token also carries the listing's history
 * (listing-loop.ts), so next links that go round in a circle are refused across stateless calls.
 */
export async function runPage<T>(options: {
  readonly key: PageTokenKey;
  readonly scope: string;
  readonly pageToken: string;
  readonly fetch: (cursor: Cursor | undefined) => Promise<Page<T>>;
  readonly count?: OktaCallCounter | undefined;
}): Promise<{ items: readonly T[]; nextPageToken: string }> {
  const given = options.pageToken === "" ? { cursor: undefined, history: undefined } : decodeCursorAndHistory(options.key, options.scope, options.pageToken);
  const cursor = given.cursor as Cursor | undefined;
  const { page, endpoint } = await fetchCounted(options.count, () => options.fetch(cursor));
  if (page.cursor === undefined) return { items: page.items, nextPageToken: "" };
  if (cursor !== undefined && JSON.stringify(page.cursor) === JSON.stringify(cursor)) {
    // The engine would request the same page forever; baton-sdk's own server refuses this too.
    throw new ConnectError(`listing ${options.scope} returned the page token it was given`, Code.Internal);
  }
  const history = advanceListing(historyFrom(given.history), cursor, page.cursor, endpoint ?? `listing ${options.scope}`);
  return { items: page.items, nextPageToken: encodePageToken(options.key, options.scope, page.cursor, history) };
}

/** The cursor of a page token, with the listing history it carries (undefined in older tokens); INVALID_ARGUMENT naming `field` when the token is bad. */
export function decodeCursorAndHistory(key: PageTokenKey, scope: string, token: string, field = "page_token"): { cursor: unknown; history: unknown } {
  try {
    return decodePageTokenPayload(key, scope, token);
  } catch (error) {
    throw asInvalidArgument(error, field);
  }
}

function asInvalidArgument(error: unknown, field: string): unknown {
  return error instanceof PageTokenError ? new ConnectError(`${field}: ${error.message}`, Code.InvalidArgument) : error;
}
