import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * src/okta/ is the bottom layer: it may import node built-ins, the Okta SDK (and the node-fetch
 * types it exposes) and its own modules, never the protocol, server, syncer or generated code.
 */
const OKTA_DIR = join(import.meta.dirname, "../../src/okta");
const ALLOWED_PACKAGES = new Set(["@okta/okta-sdk-nodejs", "node-fetch", "vitest"]);

function importsOf(file: string): string[] {
  const text = readFileSync(join(OKTA_DIR, file), "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((match) => match[1] as string);
}

describe("src/okta imports", () => {
  const files = readdirSync(OKTA_DIR).filter((file) => file.endsWith(".ts"));

  it("has modules to check", () => {
    expect(files).toContain("executor.ts");
  });

  it.each(files)("%s stays inside the Okta layer", (file) => {
    // The SDK's own module paths count as the SDK (sdk-transport.ts loads its transport alone).
    const outside = importsOf(file).filter(
      (specifier) => !specifier.startsWith("./") && !specifier.startsWith("node:") && !ALLOWED_PACKAGES.has(specifier) && !specifier.startsWith("@okta/okta-sdk-nodejs/"),
    );
    expect(outside).toEqual([]);
  });
});
