/**
 * The parts of @okta/okta-sdk-nodejs the connector calls Okta through: its `Http` (authorisation,
 * SSWS or OAuth private_key_jwt with DPoP, and the user agent), its `OAuth` token handling, and its
 * `RequestExecutor` base class.
 *
 * Why not the package's entry point: it also loads the SDK's generated API and model classes, which
 * the connector never uses (it builds its own requests, okta/client.ts): measured, an idle
 * `okta-connector serve` held 153 MB resident with them and 115 MB without. These module paths belong
 * to the pinned SDK version's layout;
 * src/okta/sdk-transport.test.ts fails if an upgrade moves them.
 */
import { createRequire } from "node:module";
import { platform, release } from "node:os";
import type { Http as SdkHttp } from "@okta/okta-sdk-nodejs/src/types/http.js";
import type { OAuth as SdkOAuth } from "@okta/okta-sdk-nodejs/src/types/oauth.js";
import type { RequestExecutor as SdkRequestExecutor } from "@okta/okta-sdk-nodejs/src/types/request-executor.js";

const require = createRequire(import.meta.url);

export const { Http } = require("@okta/okta-sdk-nodejs/src/http.js") as { Http: typeof SdkHttp };
export const { OAuth } = require("@okta/okta-sdk-nodejs/src/oauth.js") as { OAuth: typeof SdkOAuth };
export const RequestExecutor = require("@okta/okta-sdk-nodejs/src/request-executor.js") as typeof SdkRequestExecutor;
const sdkPackage = require("@okta/okta-sdk-nodejs/package.json") as { name: string; version: string };

/** The user agent the SDK's Client appends to the caller's: the SDK, Node and the OS, as Okta's support asks for. */
export const SDK_USER_AGENT = `${sdkPackage.name}/${sdkPackage.version} node/${process.versions.node} ${platform()}/${release()}`;
