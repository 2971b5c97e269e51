import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

/** A connect-node server listening with cleartext HTTP/2 (h2c) on 127.0.0.1 and an OS-chosen port. */
export interface H2cServer {
  /** `127.0.0.1:PORT`, the form grpc-js dials. */
  readonly address: string;
  /** `http://127.0.0.1:PORT`, the form buf curl and connect transports take. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and destroys every open session, so streams still running cannot stall teardown. */
  close(): Promise<void>;
}

/** Starts `routes` on an h2c server; pass adapter options such as `readMaxBytes` or `interceptors`. */
export async function startH2cServer(
  routes: (router: ConnectRouter) => void,
  options: Omit<ConnectNodeAdapterOptions, "routes"> = {},
): Promise<H2cServer> {
  const server = http2.createServer(connectNodeAdapter({ ...options, routes }));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const session of sessions) session.destroy();
      }),
  };
}
