import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OKTA_TYPE_DESCRIPTORS } from "../../src/connector/okta-type-descriptors.js";

/**
 * One folder per resource type (src/types/<type id>/), helpers in src/types/shared/. A type's folder
 * may use shared/ and the folders of the types it declares in `dependsOn`, and no other type's: what
 * a type refers to is then what it declares, which is what orders the sync. shared/ may use the
 * folders of the principal types only (user, group, and service-app, the OAuth apps holding admin
 * roles), whose ids and slugs every grant helper names.
 */
const root = resolve(import.meta.dirname, "../..");
const typesDir = join(root, "src/types");
const PRINCIPAL_TYPES = ["user", "group", "service-app"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The type folders a folder's files import (relative imports into src/types/, other than itself). */
function typeFoldersImportedBy(folder: string): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of filesUnder(join(typesDir, folder))) {
    const source = readFileSync(file, "utf8");
    for (const [, spec] of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
      if (!spec!.startsWith(".")) continue;
      const m = /^src\/types\/([^/]+)\//.exec(relative(root, resolve(file, "..", spec!)));
      if (m && m[1] !== folder) used.set(m[1]!, [...(used.get(m[1]!) ?? []), `${relative(root, file)} → ${spec}`]);
    }
  }
  return used;
}

const folders = readdirSync(typesDir).filter((name) => statSync(join(typesDir, name)).isDirectory());

describe("resource type folders", () => {
  it("are exactly the registered types, plus shared/", () => {
    expect(folders.filter((f) => f !== "shared").sort()).toEqual(OKTA_TYPE_DESCRIPTORS.map((d) => d.resourceType.id).sort());
  });

  for (const descriptor of OKTA_TYPE_DESCRIPTORS) {
    const id = descriptor.resourceType.id;
    it(`src/types/${id} uses only shared/ and the types it depends on (${descriptor.dependsOn.join(", ") || "none"})`, () => {
      const allowed = new Set(["shared", ...descriptor.dependsOn]);
      const violations = [...typeFoldersImportedBy(id)].filter(([folder]) => !allowed.has(folder)).flatMap(([, lines]) => lines);
      expect(violations).toEqual([]);
    });
  }

  // A type's flags are declared by its descriptor; the CLI, loadConfig and the README check take them
  // from there. A flag name written anywhere else in src/ means adding a type edited that file too.
  for (const descriptor of OKTA_TYPE_DESCRIPTORS.filter((d) => (d.flags ?? []).length > 0)) {
    const id = descriptor.resourceType.id;
    const names = (descriptor.flags ?? []).map((f) => f.spec.name);
    it(`${names.map((n) => `--${n}`).join(", ")} appear(s) in src/ only inside src/types/${id}`, () => {
      const outside = filesUnder(join(root, "src")).filter((file) => !file.startsWith(join(typesDir, id) + "/") && !file.endsWith(".test.ts"));
      const mentions = outside.flatMap((file) => names.filter((name) => readFileSync(file, "utf8").includes(`"${name}"`)).map((name) => `${relative(root, file)}: "${name}"`));
      expect(mentions).toEqual([]);
    });
  }

  it(`src/types/shared uses no type folder but the principals' (${PRINCIPAL_TYPES.join(", ")})`, () => {
    const violations = [...typeFoldersImportedBy("shared")].filter(([folder]) => !PRINCIPAL_TYPES.includes(folder)).flatMap(([, lines]) => lines);
    expect(violations).toEqual([]);
  });
});
