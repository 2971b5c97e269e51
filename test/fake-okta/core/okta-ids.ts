import { randomBytes } from "node:crypto";
import type { Prng } from "./prng.js";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Okta's id prefixes (okta-api.md §7.9): users `00u`, groups `00g`, apps `0oa`, standard role assignments
 * `ra1`, custom roles `cr0`, resource sets `iam`, binding members `irb`, resource-set resources `ire`,
 * user types `oty`, the org `00o`, devices `guo`, API tokens `00T`, group rules `0pr`, group-assignment ids are the
 * group's own id. MFA factors carry a prefix per kind: push `opf`, SMS `mbl`, voice call `clf`, TOTP `uft`,
 * WebAuthn `fwf`, email `emf`, security question `ufs`, hardware token `ykf`.
 */
export type OktaIdPrefix =
  | "00u" | "00g" | "0oa" | "ra1" | "cr0" | "iam" | "irb" | "ire" | "oty" | "00o" | "guo" | "00T" | "0pr"
  | "opf" | "mbl" | "clf" | "uft" | "fwf" | "emf" | "ufs" | "ykf";

/** Mints unique 20-character Okta-style ids from a seeded stream. */
export interface IdFactory {
  mint(prefix: OktaIdPrefix): string;
  /** Records an id minted elsewhere so it is never minted again. */
  reserve(id: string): void;
}

/**
 * Creates an id factory over `prng`; the same stream gives the same ids. Factories that share `used`
 * never mint the same id, so each generator stage can have its own stream.
 */
export function createIdFactory(prng: Prng, used: Set<string> = new Set()): IdFactory {
  return {
    mint(prefix) {
      for (;;) {
        let id = prefix;
        for (let i = prefix.length; i < 20; i++) id += ALPHABET[prng.int(62)];
        if (!used.has(id)) {
          used.add(id);
          return id;
        }
      }
    },
    reserve: (id) => void used.add(id),
  };
}

/** A random (not seeded) token of base-62 characters, for request ids, error ids and secrets. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) % 62];
  return out;
}

/** Okta error ids are `oae` plus 22 characters. */
export function newErrorId(): string {
  return `oae${randomToken(22)}`;
}
