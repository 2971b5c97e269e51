/** Small helpers every renderer uses: ISO timestamps (null kept) and `{href}` link objects. */

/** `YYYY-MM-DDTHH:mm:ss.SSSZ`, Okta's timestamp format. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An ISO timestamp, or null where Okta sends null (`lastLogin` of a user who never signed in). */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** A HAL link to `path` on the org the request addressed. */
export function link(base: string, path: string, extra: Record<string, unknown> = {}): { href: string } & Record<string, unknown> {
  return { href: `${base}${path}`, ...extra };
}
