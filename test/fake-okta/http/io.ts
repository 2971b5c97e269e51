import type { IncomingMessage, ServerResponse } from "node:http";

/** The largest request body accepted (Okta's own limit is larger; nothing here needs more). */
export const MAX_BODY_BYTES = 1 << 20;

/** Reads the request body as UTF-8; resolves null when it exceeds {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
    req.on("aborted", () => resolve(""));
  });
}

/** `scheme://host` as the client addressed the server, so links point where the client can follow them. */
export function baseUrlOf(req: IncomingMessage, scheme: "http" | "https", fallback: string): string {
  const host = req.headers.host;
  if (typeof host === "string" && /^[A-Za-z0-9.\-:[\]]+$/.test(host)) return `${scheme}://${host}`;
  return fallback;
}

/**
 * Sends a JSON body (or none) with `Content-Type: application/json` and an exact Content-Length, which the
 * SDK needs to parse anything. `truncate` cuts the body in half: the malformed-body fault. Returns the
 * number of body bytes sent.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]>, truncate = false): number {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined) {
    res.writeHead(status).end();
    return 0;
  }
  let text = JSON.stringify(body);
  if (truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  const bytes = Buffer.from(text, "utf8");
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", String(bytes.length));
  res.writeHead(status).end(bytes);
  return bytes.length;
}

/** Sends a small HTML page, as a proxy in front of Okta does for 502 and 503. */
export function sendHtml(res: ServerResponse, status: number, title: string, headers: Record<string, string | string[]>): number {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const bytes = Buffer.from(`<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, "utf8");
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Content-Length", String(bytes.length));
  res.writeHead(status).end(bytes);
  return bytes.length;
}

/** Writes string chunks with backpressure, then ends the response. */
export async function sendStream(res: ServerResponse, chunks: Iterable<string>): Promise<number> {
  let total = 0;
  for (const chunk of chunks) {
    const bytes = Buffer.from(chunk, "utf8");
    total += bytes.length;
    if (!res.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      });
      if (res.destroyed) return total;
    }
  }
  res.end();
  return total;
}
