import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Http, OAuth, RequestExecutor, SDK_USER_AGENT } from "./sdk-transport.js";

/**
 * The transport modules are loaded by path from the pinned SDK (sdk-transport.ts): an SDK upgrade that
 * moves or renames them fails here, not at the first call to Okta.
 */
describe("the Okta SDK's transport, loaded alone", () => {
  it("finds Http, OAuth and RequestExecutor where the pinned SDK keeps them", () => {
    expect(typeof Http).toBe("function");
    expect(typeof Http.errorFilter).toBe("function");
    expect(typeof OAuth.prototype.getAccessToken).toBe("function");
    expect(typeof RequestExecutor.prototype.fetch).toBe("function");
  });

  it("builds the user agent the SDK's Client would append", () => {
    expect(SDK_USER_AGENT).toMatch(/^@okta\/okta-sdk-nodejs\/\d+\.\d+\.\d+ node\/\d+\.\d+\.\d+ \w+\/\S+$/);
  });

  it("does not load the SDK's generated API classes (38 MB of an idle connector's resident memory)", () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes("okta-sdk-nodejs/src/generated/apis/"));
    expect(loaded).toEqual([]);
  });
});
