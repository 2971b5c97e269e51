import { randomInt } from "node:crypto";
import { ConnectorError } from "../protocol/errors.js";

/**
 * Passwords for new Okta accounts (CreateAccount with RANDOM_PASSWORD).
 *
 * Okta's default password policy asks for at least 8 characters with a lower-case letter, an
 * upper-case letter and a digit, and nothing that is part of the username or the first or last
 * name. Orgs often tighten it (a symbol, a longer minimum), so every password here has at least one
 * character of each of the four classes, is 20 long unless asked otherwise, and avoids the user's
 * names; the caller's own constraints (baton's PasswordConstraint) come on top. A password Okta still
 * refuses surfaces as Okta's 400, naming the rule, before any account exists.
 */
export const PASSWORD_CLASSES = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digit: "0123456789",
  // No quotes, backslash or space: they trip shells and CSV exports when a person handles the password.
  symbol: "!#$%&()*+,-./:;<=>?@[]^_{|}~",
} as const;

export const DEFAULT_PASSWORD_LENGTH = 20;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 64;

export interface PasswordRequest {
  /** 8..64; 0 means {@link DEFAULT_PASSWORD_LENGTH}. */
  readonly length: number;
  /** "At least minCount characters from charSet", each. */
  readonly constraints?: readonly { readonly charSet: string; readonly minCount: number }[];
  /** Parts of the username and names (3+ characters) the password must not contain, case-insensitively. */
  readonly avoid?: readonly string[];
}

/** A random password meeting {@link PASSWORD_CLASSES}, the request's constraints and its `avoid` list. */
export function randomPassword(request: PasswordRequest): string {
  const length = request.length === 0 ? DEFAULT_PASSWORD_LENGTH : request.length;
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new ConnectorError("invalid", `credential_options.random_password.length: ${length} is not within ${MIN_PASSWORD_LENGTH}..${MAX_PASSWORD_LENGTH}`);
  }
  const required: { charSet: string; minCount: number }[] = Object.values(PASSWORD_CLASSES).map((charSet) => ({ charSet, minCount: 1 }));
  for (const [i, c] of (request.constraints ?? []).entries()) {
    const field = `credential_options.random_password.constraints[${i}]`;
    if ([...c.charSet].length === 0) throw new ConnectorError("invalid", `${field}.char_set: is empty`);
    if (/[\u0000-\u001f\u007f]/.test(c.charSet)) throw new ConnectorError("invalid", `${field}.char_set: contains control characters`);
    required.push({ charSet: c.charSet, minCount: c.minCount });
  }
  const needed = required.reduce((sum, r) => sum + r.minCount, 0);
  if (needed > length) {
    throw new ConnectorError("invalid", `credential_options.random_password: the constraints need ${needed} characters, more than length ${length}`);
  }
  const all = [...new Set(required.flatMap((r) => [...r.charSet]))];
  const avoid = (request.avoid ?? []).map((part) => part.toLowerCase()).filter((part) => part.length >= 3);
  // A hit on a name part is rare (a 3-letter run in 20 random characters); draw again a few times.
  for (let attempt = 0; attempt < 20; attempt++) {
    const chars = required.flatMap((r) => Array.from({ length: r.minCount }, () => pick([...r.charSet])));
    while (chars.length < length) chars.push(pick(all));
    shuffle(chars);
    const password = chars.join("");
    const lower = password.toLowerCase();
    if (!avoid.some((part) => lower.includes(part))) return password;
  }
  throw new ConnectorError("unknown", "could not draw a password that avoids the user's names; try a different length");
}

/** The user's name parts a password must avoid: the login (and its part before @), first and last name. */
export function namePartsOf(values: readonly (string | undefined)[]): string[] {
  return values.flatMap((value) => (value === undefined ? [] : value.split(/[@.\s_+-]+/))).filter((part) => part.length >= 3);
}

function pick<T>(items: readonly T[]): T {
  return items[randomInt(items.length)]!;
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
