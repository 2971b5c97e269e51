/**
 * A scripted stand-in for Okta on 127.0.0.1: each test supplies the handler, the server records
 * every request. Used where the executor's own behaviour is the subject (resets mid-body, stalled
 * answers, exact header values) and the simulated org would be too indirect.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What a handler gets besides the raw request and response. */
export interface CallInfo {
  /** 0 for the first request the server received. */
  index: number;
  body: string;
  /** The server's own URL, for absolute Link headers. */
  baseUrl: string;
}

/** Answers one request; the return value is ignored (handlers often end with `return res.end()`). */
export type ScriptedHandler = (req: IncomingMessage, res: ServerResponse, call: CallInfo) => unknown;

export interface ScriptedOkta {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the server on an ephemeral port. */
export async function startScriptedOkta(handler: ScriptedHandler): Promise<ScriptedOkta> {
  const requests: RecordedRequest[] = [];
  let baseUrl = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const index = requests.length;
      requests.push({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body });
      void Promise.resolve(handler(req, res, { index, body, baseUrl })).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { errorCode: "E0000009", errorSummary: String(error), errorCauses: [] });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let requestCounter = 0;

/** Answers JSON the way Okta does: Content-Type, X-Okta-Request-Id, plus any extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "X-Okta-Request-Id": `req${++requestCounter}`,
    ...headers,
  });
  res.end(text);
}

/** An Okta error body. */
export function oktaError(errorCode: string, errorSummary: string): object {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: "oaeTEST", errorCauses: [] };
}

/** `X-Rate-Limit-*` headers for a bucket, with `Date` and reset on the given (server) clock. */
export function rateHeaders(options: { limit: number; remaining: number; resetEpochSeconds: number; dateMs?: number }): Record<string, string> {
  return {
    "X-Rate-Limit-Limit": String(options.limit),
    "X-Rate-Limit-Remaining": String(options.remaining),
    "X-Rate-Limit-Reset": String(options.resetEpochSeconds),
    Date: new Date(options.dateMs ?? Date.now()).toUTCString(),
  };
}

/** Collects what the Okta layer logs, so tests can read computed delays and check for secrets. */
export function recordingLogger(): { lines: { level: string; obj: object; msg?: string }[]; logger: { debug: Log; info: Log; warn: Log } } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string): Log => (obj, msg) => void lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn") } };
}

type Log = (obj: object, msg?: string) => void;
