import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contextSources, dockerignoreIncludes, execForm, parseDockerfile, type Stage } from "./support/dockerfile.js";

/**
 * What can be checked of the image without a Docker engine (there is none here): the Dockerfile's
 * stages, user, entrypoint and labels, and that .dockerignore lets in exactly what the COPY lines
 * need. Building it is test/deploy/container.test.ts's job, where an engine exists.
 */
const ROOT = join(import.meta.dirname, "../..");
const dockerfileText = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8");
const dockerfile = parseDockerfile(dockerfileText);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; license: string; bin: Record<string, string> };
const runtime = dockerfile.stages.at(-1)!;
const args = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe("Dockerfile", () => {
  it("is multi-stage: build, production dependencies, and a runtime stage last", () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(["build", "prod-deps", "runtime"]);
    expect(args(dockerfile.stages[1]!, "RUN").join(" ")).toContain("npm ci --omit=dev");
  });

  it("runs on a current Node.js LTS (22 or 24), the same major in every stage", () => {
    const major = dockerfile.globalArgs.get("NODE_MAJOR");
    expect(["22", "24"]).toContain(major);
    for (const stage of dockerfile.stages) expect(stage.from).toMatch(/^node:\$\{NODE_MAJOR\}-bookworm(-slim)?$/);
    expect(runtime.from).toBe("node:${NODE_MAJOR}-bookworm-slim");
  });

  it("runs as a numeric non-root uid, so the kubelet can enforce runAsNonRoot", () => {
    const user = args(runtime, "USER").at(-1);
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it("starts node as PID 1 on the CLI that package.json's bin names, running serve", () => {
    expect(execForm(args(runtime, "ENTRYPOINT").at(-1)!)).toEqual(["node", pkg.bin["okta-connector"]]);
    expect(execForm(args(runtime, "CMD").at(-1)!)).toEqual(["serve"]);
  });

  it("carries the OCI labels, the licence matching package.json", () => {
    const labels = args(runtime, "LABEL").join(" ");
    for (const key of ["title", "description", "version", "revision", "licenses", "source"]) expect(labels).toContain(`org.opencontainers.image.${key}=`);
    expect(labels).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
    expect(args(runtime, "ARG")).toContain(`VERSION=${pkg.version}`);
  });

  it("declares inside each stage every build argument the stage uses (a global ARG is visible to FROM only)", () => {
    for (const stage of dockerfile.stages) {
      const declared = new Set(stage.instructions.filter((i) => i.keyword === "ARG" || i.keyword === "ENV").map((i) => i.args.split(/[= ]/)[0]!));
      const used = stage.instructions.filter((i) => i.keyword !== "RUN").flatMap((i) => [...i.args.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
      expect(used.filter((name) => !declared.has(name)), `stage ${stage.name}`).toEqual([]);
    }
  });

  it("copies only the compiled service, production node_modules and package.json into the runtime stage", () => {
    const copies = args(runtime, "COPY");
    expect(copies).toEqual([
      "--from=prod-deps /app/node_modules ./node_modules",
      "--from=build /app/dist/src ./dist/src",
      "--from=build /app/dist/gen ./dist/gen",
      "package.json ./",
    ]);
  });
});

describe(".dockerignore", () => {
  it("lets in every path a COPY takes from the build context", () => {
    const sources = dockerfile.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "COPY" || i.keyword === "ADD").flatMap(contextSources));
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((path) => !dockerignoreIncludes(ignore, path))).toEqual([]);
  });

  it.each([".git/config", "node_modules/pino/package.json", ".tmp/demo-snapshot.sqlite", "test/fake-okta/index.ts", "dist/src/cli.js", "src/config/load-config.test.ts", ".env", "bench/results/2026-01-01.json", "deploy/kubernetes/secret.yaml"])(
    "keeps %s out of the build context",
    (path) => {
      expect(dockerignoreIncludes(ignore, path)).toBe(false);
    },
  );

  it("matches as Docker does: parents, ** and exceptions, the last matching line winning", () => {
    const rules = "*\n!src/\nsrc/**/*.test.ts\n!src/keep.test.ts\n";
    expect(dockerignoreIncludes(rules, "src/config/flags.ts")).toBe(true);
    expect(dockerignoreIncludes(rules, "src/config/flags.test.ts")).toBe(false);
    expect(dockerignoreIncludes(rules, "src/keep.test.ts")).toBe(true);
    expect(dockerignoreIncludes(rules, "README.md")).toBe(false);
    expect(dockerignoreIncludes("", "anything")).toBe(true);
  });
});
