import { ConfigError } from "./config-error.js";

export type ListenAddress = TcpListenAddress | { readonly kind: "unix"; readonly path: string };

export interface TcpListenAddress {
  readonly kind: "tcp";
  readonly host: string;
  readonly port: number;
}

/** Parses `--listen`: `host:port`, `[v6]:port`, `:port` (all interfaces) or `unix:///path`. */
export function parseListenAddress(raw: string, flag = "listen"): ListenAddress {
  const value = raw.trim();
  if (value.startsWith("unix://")) {
    const path = value.slice("unix://".length);
    if (!path.startsWith("/")) {
      throw new ConfigError(flag, `unix socket path must be absolute (got "${value}")`, "use unix:///run/okta-connector.sock");
    }
    return { kind: "unix", path };
  }
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(value);
  if (!match) {
    throw new ConfigError(flag, `"${value}" is not host:port or unix:///path`, "use e.g. 127.0.0.1:50051");
  }
  const port = Number(match[3]);
  if (port > 65535) {
    throw new ConfigError(flag, `port ${port} is out of range`, "use a port from 0 to 65535");
  }
  const host = match[1] ?? (match[2] === "" ? "0.0.0.0" : match[2]!);
  return { kind: "tcp", host, port };
}

export function formatListenAddress(address: ListenAddress): string {
  if (address.kind === "unix") return `unix://${address.path}`;
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
