import { readFileSync } from "node:fs";
import { ConfigError } from "../config/index.js";

/**
 * Inputs every engine-side command takes (sync, grant, revoke): where the connector is and the bearer
 * token it wants. Checked before anything is sent, each error naming the flag.
 */

/** `host:port`, `[v6]:port`, `http(s)://host[:port]` or `unix:///absolute/path`. */
export function validateConnectorAddress(value: string | undefined): string {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") throw new ConfigError("connector", "is required (or env BATON_CONNECTOR)", "give the connector's address, e.g. --connector 127.0.0.1:50051");
  if (trimmed.startsWith("unix://")) {
    if (!trimmed.slice("unix://".length).startsWith("/")) throw new ConfigError("connector", `unix socket path must be absolute (got "${trimmed}")`, "use unix:///run/okta-connector.sock");
    return trimmed;
  }
  const explicit = /^https?:\/\//.test(trimmed);
  const url = parseUrl(explicit ? trimmed : `http://${trimmed}`);
  // A bare host needs its port; a URL may rely on its scheme's.
  const port = url === undefined || url.port === "" ? (explicit ? 1 : NaN) : Number(url.port);
  if (url === undefined || url.hostname === "" || !(port >= 1 && port <= 65_535) || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.username !== "") {
    throw new ConfigError("connector", `"${trimmed}" is not host:port, http(s)://host[:port] or unix:///path`, "use e.g. 127.0.0.1:50051");
  }
  return trimmed;
}

/** The bearer token from a file (trimmed); errors name the file, never its content. */
export function readBearerToken(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let token: string;
  try {
    token = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new ConfigError("auth-token-file", `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (token === "") throw new ConfigError("auth-token-file", `${path} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ConfigError("auth-token-file", `${path} holds characters a bearer token cannot carry (whitespace or non-ASCII)`);
  return token;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
