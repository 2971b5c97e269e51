import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envNameOf, serveFlagsWith } from "../../src/config/index.js";
import { OKTA_TYPE_FLAGS } from "../../src/connector/okta-type-descriptors.js";
import { startFakeOkta, type FakeOkta } from "../fake-okta/index.js";
import { bufCurl } from "../support/buf-curl.js";
import { startServeProcess } from "../support/serve-process.js";

/** Every serve flag: the connector's own and those its resource types declare. */
const allServeFlags = serveFlagsWith(OKTA_TYPE_FLAGS);

/** The README is part of the product: its flag table and its examples must stay true. */
const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

describe("README", () => {
  it("documents every serve flag with its environment variable", () => {
    for (const spec of allServeFlags) {
      expect(readme).toContain(`| \`--${spec.name}\` | \`${envNameOf(spec.name)}\` |`);
    }
  });

  it("names a two-command quickstart that exists in package.json", () => {
    const quickstart = /## Quickstart[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = quickstart.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter((l) => l !== "");
    expect(commands).toEqual(["npm run demo", "npm test"]);
    const scripts = (JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["demo"]).toBeDefined();
    expect(scripts["test"]).toBeDefined();
  });

  describe("buf curl examples, run against a real connector on the simulated org", () => {
    let okta: FakeOkta;
    let server: Awaited<ReturnType<typeof startServeProcess>>;
    beforeAll(async () => {
      okta = await startFakeOkta({ users: 50 });
      server = await startServeProcess(["--domain", okta.url], { withOktaArgs: false, env: { BATON_API_TOKEN: okta.tokens.super_admin } });
    });
    afterAll(async () => {
      await server?.stop();
      await okta?.close();
    });

    const examples = [...readme.matchAll(/^npx buf curl --protocol grpc --http2-prior-knowledge (.*)$/gm)].map((m) => m[1]!);
    it("has examples", () => expect(examples.length).toBeGreaterThanOrEqual(4));
    for (const example of examples) {
      it(`runs: buf curl ${example.slice(0, 90)}`, async () => {
        const args = [...example.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).map((a) => a.replace("127.0.0.1:50051", server.address));
        const result = await bufCurl(args, { timeoutMs: 60_000 });
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        expect(result.stdout.length).toBeGreaterThan(0);
      });
    }
  });
});
