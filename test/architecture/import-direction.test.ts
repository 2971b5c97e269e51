import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Data flows one way: server → protocol → types → okta (design.md). This test reads every import
 * line and fails on an edge that goes up or sideways, so the layering holds without a reviewer.
 * Composition roots (cli.ts, commands/, connector/) may import any layer: that is their job.
 */
const root = resolve(import.meta.dirname, "../..");

/** For each layer, the layers (folders under src/, plus gen) it may import. */
const allowed: Record<string, readonly string[]> = {
  config: ["config"],
  okta: ["okta"],
  protocol: ["protocol", "gen"],
  types: ["types", "protocol", "okta", "config", "gen"],
  server: ["server", "config", "gen"],
  engine: ["engine", "gen", "config"],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
}

function layerOf(absolutePath: string): string | undefined {
  const rel = relative(root, absolutePath);
  if (rel.startsWith("gen/")) return "gen";
  const m = /^src\/([^/]+)\//.exec(rel);
  return m ? m[1] : undefined;
}

describe("import direction", () => {
  for (const [layer, may] of Object.entries(allowed)) {
    it(`src/${layer} imports only ${may.join(", ")}`, () => {
      let dir: string;
      try {
        dir = join(root, "src", layer);
        statSync(dir);
      } catch {
        return; // the layer does not exist yet
      }
      const violations: string[] = [];
      for (const file of filesUnder(dir)) {
        for (const spec of importsOf(file)) {
          if (!spec.startsWith(".")) continue;
          const target = layerOf(resolve(file, "..", spec));
          if (target !== undefined && !may.includes(target)) violations.push(`${relative(root, file)} → ${spec}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it("the simulated Okta org imports nothing from src/", () => {
    const violations = filesUnder(join(root, "test/fake-okta")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith(".") && relative(root, resolve(file, "..", spec)).startsWith("src/"))
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(violations).toEqual([]);
  });
});
