/**
 * --filter-email-domains as baton-okta applies it: a user is kept when any of profile.email,
 * profile.secondEmail, or profile.login (when it is an address) ends with `@<domain>`, ignoring case.
 * With no domains configured every user is kept.
 */
export type EmailFilter = (profile: { readonly email?: unknown; readonly secondEmail?: unknown; readonly login?: unknown } | undefined) => boolean;

export function createEmailFilter(domains: readonly string[]): EmailFilter {
  if (domains.length === 0) return () => true;
  const suffixes = domains.map((d) => `@${d.toLowerCase()}`);
  const matches = (value: unknown) => typeof value === "string" && suffixes.some((s) => value.toLowerCase().endsWith(s));
  return (profile) => {
    if (!profile) return false;
    const login = typeof profile.login === "string" && profile.login.includes("@") ? profile.login : undefined;
    return matches(profile.email) || matches(profile.secondEmail) || matches(login);
  };
}

/**
 * For listings that name users by id only (binding members): whether the user is synced under
 * --filter-email-domains. Looks the user up only when a filter is set; otherwise answers at once.
 */
export type UserKeeper = (userId: string, ctx: { readonly signal: AbortSignal }) => Promise<boolean>;

export function createUserKeeper(getUser: (userId: string, options: { signal: AbortSignal }) => Promise<{ profile: Parameters<EmailFilter>[0] }>, domains: readonly string[]): UserKeeper {
  if (domains.length === 0) return async () => true;
  const keep = createEmailFilter(domains);
  return async (userId, ctx) => keep((await getUser(userId, { signal: ctx.signal })).profile);
}
