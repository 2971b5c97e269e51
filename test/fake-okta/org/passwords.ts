import { createHash } from "node:crypto";
import type { UserRecord } from "./types.js";

/**
 * The passwords the API has set, kept as SHA-256 digests beside the user records (generated users
 * have none). Lets a test prove that a password a client was handed is the one Okta holds, which
 * Okta itself would show by letting the user sign in.
 */
const digests = new WeakMap<UserRecord, string>();

const digestOf = (password: string): string => createHash("sha256").update(password, "utf8").digest("hex");

/** Records `password` as `user`'s current password (creation, or an administrator setting it). */
export function rememberPassword(user: UserRecord, password: string): void {
  digests.set(user, digestOf(password));
}

/** True when `password` is the user's current password as set through the API. */
export function passwordMatches(user: UserRecord, password: string): boolean {
  return digests.get(user) === digestOf(password);
}

/** `credentials.password.value` of a request body, when it is a string. */
export function passwordValueOf(credentials: Record<string, unknown>): string | undefined {
  const password = credentials["password"];
  const value = typeof password === "object" && password !== null ? (password as Record<string, unknown>)["value"] : undefined;
  return typeof value === "string" ? value : undefined;
}
