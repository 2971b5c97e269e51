import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Something the connector handled that must never appear in what it writes. */
export interface Secret {
  readonly name: string;
  readonly value: string;
}

/** A place output lands: a log, a file's raw bytes, a trace export, an error message. */
export interface Haystack {
  readonly name: string;
  readonly bytes: Buffer;
}

/** One secret (or a recognisable piece of it) found in one haystack. */
export interface Leak {
  readonly secret: string;
  readonly needle: string;
  readonly haystack: string;
}

/**
 * The strings searched for one secret: the whole value, its first and last 12 characters (a truncated
 * or partly masked copy is still a leak), and for a PEM key every base64 body line, so a key that was
 * re-wrapped or logged line by line is caught too. Pieces shorter than 12 characters would match by
 * chance and are left out.
 */
export function needlesOf(secret: Secret): string[] {
  const value = secret.value.trim();
  const needles = new Set<string>([value]);
  if (value.includes("-----BEGIN")) {
    for (const line of value.split("\n")) {
      const body = line.trim();
      if (body.length >= 16 && !body.startsWith("-----")) needles.add(body);
    }
    // The key's base64 as one string, as a JSON-escaped or de-wrapped copy would carry it.
    needles.add(value.split("\n").filter((l) => !l.startsWith("-----")).join("").slice(0, 64));
  } else if (value.length >= 24) {
    needles.add(value.slice(0, 12));
    needles.add(value.slice(-12));
  }
  if (value.split(".").length === 3) {
    // A JWT: its header is the same for every token of one signer, so the payload and signature are
    // what identify this one.
    const [, payload, signature] = value.split(".");
    for (const part of [payload!, signature!]) {
      needles.add(part);
      if (part.length >= 24) needles.add(part.slice(0, 16));
    }
  }
  return [...needles].filter((n) => n.length >= 12);
}

/** Every secret piece found in every haystack; an empty list means nothing leaked. */
export function findLeaks(haystacks: readonly Haystack[], secrets: readonly Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const secret of secrets) {
    for (const needle of needlesOf(secret)) {
      // Both raw and JSON-escaped forms: a PEM line with "/" may be written as "\/" by some encoders.
      const forms = new Set([needle, JSON.stringify(needle).slice(1, -1), needle.replaceAll("/", "\\/")]);
      for (const haystack of haystacks) {
        if ([...forms].some((form) => haystack.bytes.includes(form))) leaks.push({ secret: secret.name, needle, haystack: haystack.name });
      }
    }
  }
  return leaks;
}

/** A SQLite file and its -wal, -shm and -journal companions, whichever exist, as raw bytes. */
export function sqliteFileHaystacks(path: string): Haystack[] {
  const prefix = basename(path);
  return readdirSync(dirname(path))
    .filter((name) => name === prefix || (name.startsWith(`${prefix}-`) && ["-wal", "-shm", "-journal"].some((s) => name === `${prefix}${s}`)))
    .map((name) => join(dirname(path), name))
    .filter((file) => existsSync(file))
    .map((file) => ({ name: basename(file), bytes: readFileSync(file) }));
}

/** Text as a haystack. */
export function textHaystack(name: string, text: string): Haystack {
  return { name, bytes: Buffer.from(text, "utf8") };
}
