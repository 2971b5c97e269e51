import { isIP } from "node:net";
import { ConfigError } from "./config-error.js";

/**
 * Turns `--domain` into the org URL the Okta SDK wants (scheme, host, optional port, no trailing slash).
 *
 * Accepts what baton-okta accepts (a host, host:port, or an https:// URL with an optional trailing
 * slash) and rejects a path, query, fragment or credentials, since each would silently point the
 * connector somewhere else. Plain http:// is allowed only for loopback hosts, which is how the simulated
 * org is reached; a real org over cleartext would expose the API token.
 */
export function parseOktaOrgUrl(raw: string): string {
  const value = raw.trim();
  if (value === "") {
    throw new ConfigError("domain", "is empty", "give your Okta org's host, e.g. --domain acme.okta.com");
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError("domain", `"${value}" is not a host or URL`, "use e.g. acme.okta.com or https://acme.okta.com");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError("domain", `scheme ${url.protocol} is not supported`, "use https://");
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError("domain", `http:// is only allowed for loopback hosts, not ${url.hostname}`, "use https://");
  }
  if (url.username || url.password) {
    throw new ConfigError("domain", "must not contain credentials", "pass the token with --api-token-file");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ConfigError("domain", `must be a bare host, without a path, query or fragment (got "${value}")`, "use e.g. acme.okta.com");
  }
  return `${url.protocol}//${url.host}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1";
  return false;
}
