import type { Page as OktaPage } from "../../okta/index.js";
import { listingLoopError } from "../../protocol/listing-loop.js";
import type { Cursor, Page } from "../../protocol/resource-syncer.js";

/** The Okta `after` of a single-phase listing's cursor. */
export function afterOf(cursor: Cursor | undefined): string | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (typeof cursor === "object" && !Array.isArray(cursor) && typeof (cursor as { after?: unknown }).after === "string") {
    return (cursor as { after: string }).after;
  }
  return undefined;
}

/** The cursor of the next page of a single-phase listing, or undefined at the end. */
export function cursorOf(after: string | undefined): Cursor | undefined {
  return after === undefined ? undefined : { after };
}

/** A multi-phase cursor: which listing of the resource, and where in it. */
export interface PhaseCursor<P extends string> {
  readonly phase: P;
  readonly after?: string;
}

export function phaseOf<P extends string>(cursor: Cursor | undefined, phases: readonly P[]): PhaseCursor<P> {
  const first: PhaseCursor<P> = { phase: phases[0]! };
  if (cursor === undefined || cursor === null || typeof cursor !== "object" || Array.isArray(cursor)) return first;
  const c = cursor as { phase?: unknown; after?: unknown };
  if (typeof c.phase !== "string" || !phases.includes(c.phase as P)) return first;
  return typeof c.after === "string" ? { phase: c.phase as P, after: c.after } : { phase: c.phase as P };
}

/** The cursor after a page of `phase`: the same phase if Okta has more, else the next phase, else the end. */
export function nextPhaseCursor<P extends string>(phases: readonly P[], phase: P, after: string | undefined): Cursor | undefined {
  if (after !== undefined) return { phase, after };
  const next = phases[phases.indexOf(phase) + 1];
  return next === undefined ? undefined : { phase: next };
}

/** For resource types with no entitlements or no grants. */
export async function noPage<T>(): Promise<Page<T>> {
  return { items: [] };
}

/**
 * Follows an Okta listing to its end inside one call (an index built from several listings, a user's
 * groups), for `endpoint` (`GET /api/v1/groups`). A next link back to a page already read would make
 * the walk endless; here the whole walk is in memory, so every `after` is remembered and a repeat is
 * refused at once, UNAVAILABLE naming the endpoint.
 */
export async function allPages<T>(endpoint: string, fetch: (after: string | undefined) => Promise<OktaPage<T>>): Promise<T[]> {
  const items: T[] = [];
  const guard = loopGuard(endpoint);
  let after: string | undefined;
  do {
    const page = await fetch(after);
    items.push(...page.items);
    after = guard(page.after);
  } while (after !== undefined);
  return items;
}

/** For walks that handle each page as it comes (see {@link allPages}): returns each next `after`, throwing on a repeat. */
export function loopGuard(endpoint: string): (after: string | undefined) => string | undefined {
  const seen = new Set<string>();
  return (after) => {
    if (after === undefined) return undefined;
    if (seen.has(after)) throw listingLoopError(endpoint);
    seen.add(after);
    return after;
  };
}
