import { randomInt } from "node:crypto";
import { ConnectorError } from "../../protocol/errors.js";

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
  const constraints = request.constraints ?? [];
  for (const [i, c] of constraints.entries()) {
    const field = `credential_options.random_password.constraints[${i}]`;
    if ([...c.charSet].length === 0) throw new ConnectorError("invalid", `${field}.char_set: is empty`);
    if (/[\u0000-\u001f\u007f]/.test(c.charSet)) throw new ConnectorError("invalid", `${field}.char_set: contains control characters`);
  }
  // A class the caller's own constraint already guarantees (all its characters in the class, at least
  // one asked for) needs no character of its own: 3 digits and 3 symbols fit in 8 with a lower and an upper.
  const classes = Object.values(PASSWORD_CLASSES).filter((set) => !constraints.some((c) => c.minCount > 0 && [...c.charSet].every((ch) => set.includes(ch))));
  const required = [...classes.map((charSet) => ({ charSet, minCount: 1 })), ...constraints.map((c) => ({ charSet: c.charSet, minCount: c.minCount }))];
  const needed = required.reduce((sum, r) => sum + r.minCount, 0);
  if (needed > length) {
    throw new ConnectorError("invalid", `credential_options.random_password: the constraints need ${needed} characters, more than length ${length}`);
  }
  const all = [...new Set(required.flatMap((r) => [...r.charSet]))];
  const avoid = (request.avoid ?? []).map((part) => part.toLowerCase()).filter((part) => part.length >= 3);
  // A hit on a name part is rare (a 3-letter run in 20 random characters); draw again a few times.
  for (let attempt = 0; attempt < 50; attempt++) {
    const chars = required.flatMap((r) => Array.from({ length: r.minCount }, () => pick([...r.charSet])));
    while (chars.length < length) chars.push(pick(all));
    shuffle(chars);
    const password = chars.join("");
    const lower = password.toLowerCase();
    if (!avoid.some((part) => lower.includes(part))) return password;
  }
  throw cannotAvoidNames(constraints, avoid, length);
}

/**
 * The caller's constraints crowd the password with characters that spell a part of the user's names,
 * which Okta's policy refuses: INVALID_ARGUMENT naming the constraint whose characters spell it (or the
 * options as a whole when no single one does), since another draw would fail the same way.
 */
function cannotAvoidNames(constraints: readonly { readonly charSet: string; readonly minCount: number }[], avoid: readonly string[], length: number): ConnectorError {
  const spells = (charSet: string, part: string) => [...part].every((ch) => charSet.toLowerCase().includes(ch));
  const culprit = constraints.findIndex((c) => c.minCount > 0 && avoid.some((part) => spells(c.charSet, part)));
  const field = culprit >= 0 ? `credential_options.random_password.constraints[${culprit}]` : "credential_options.random_password";
  return new ConnectorError(
    "invalid",
    `${field}: no password of length ${length} that meets it avoids the user's names, as Okta's password policy requires; ask for fewer of those characters or a longer password`,
  );
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
