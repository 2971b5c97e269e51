/**
 * Reads a Dockerfile and a .dockerignore well enough to check them without a Docker engine: the
 * instructions per stage, and whether the build context includes a path (Docker's rules: patterns
 * match a path or any of its parent directories, `!` re-includes, and the last matching line wins).
 */

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM (usable in FROM lines only). */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
}

/** Parses instructions, joining `\` continuations and dropping comments. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split("\n");
  const instructions: Instruction[] = [];
  let current = "";
  for (const raw of lines) {
    if (current === "" && /^\s*(#|$)/.test(raw)) continue;
    if (/^\s*#/.test(raw)) continue;
    const continued = /\\\s*$/.test(raw);
    current += `${raw.replace(/\\\s*$/, "")} `;
    if (continued) continue;
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*?)\s*$/.exec(current);
    if (match) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.replace(/\s+/g, " ") });
    current = "";
  }
  const globalArgs = new Map<string, string | undefined>();
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [from, as, name] = instruction.args.split(" ");
      stages.push({ from: from!, name: as?.toUpperCase() === "AS" ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === "ARG") {
      const [name, value] = instruction.args.split("=");
      globalArgs.set(name!, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `["node", "dist/src/cli.js"]` → the array; a shell-form string stays one element. */
export function execForm(args: string): string[] {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === "string")) return parsed as string[];
  } catch {
    // shell form
  }
  return [args];
}

/** The sources of a COPY or ADD from the build context (`--from=` copies come from a stage, not the context). */
export function contextSources(instruction: Instruction): string[] {
  const words = instruction.args.split(" ").filter((w) => w !== "");
  if (words.some((w) => w.startsWith("--from="))) return [];
  const paths = words.filter((w) => !w.startsWith("--"));
  return paths.slice(0, -1).map((p) => p.replace(/^\.\//, "").replace(/\/$/, ""));
}

/** A .dockerignore as a predicate: true when `path` (relative, `/`-separated) reaches the build context. */
export function dockerignoreIncludes(ignoreText: string, path: string): boolean {
  const rules = ignoreText
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      const pattern = (exception ? line.slice(1) : line).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      return { exception, regex: patternRegex(pattern) };
    });
  const segments = path.split("/");
  const candidates = segments.map((_s, i) => segments.slice(0, i + 1).join("/"));
  let included = true;
  for (const rule of rules) {
    // A pattern excludes a directory's whole subtree; an exception re-includes what it names and below.
    if (candidates.some((candidate) => rule.regex.test(candidate))) included = rule.exception;
  }
  return included;
}

function patternRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
