import * as http from "node:http";
import type { ServeProcess } from "../../support/serve-process.js";

/** The fields of serve's "okta-connector serving" line: the addresses actually bound and readiness at that moment. */
export interface ServingLine {
  readonly listen: string;
  readonly health?: string;
  readonly metrics?: string;
  readonly ready: boolean;
}

/** Reads the "okta-connector serving" line (startServeProcess has already waited for it). */
export function servingLine(serve: ServeProcess): ServingLine {
  const line = serve.logLines().find((l) => l.msg === "okta-connector serving");
  if (line === undefined) throw new Error(`no "okta-connector serving" line in:\n${serve.stdout()}`);
  return line as unknown as ServingLine;
}

/** One sample of the Prometheus text format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A plain HTTP/1.1 GET, as Prometheus scrapes. */
export function httpGet(url: string, method = "GET"): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body }));
    });
    req.once("error", reject);
    req.end();
  });
}

/** Parses the Prometheus text exposition format (the subset prom-client writes: no timestamps). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sums the samples of `name` whose labels include `where`. */
export function sumOf(samples: readonly Sample[], name: string, where: Readonly<Record<string, string>> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/** `{ labelValue: sum }` of `name`, grouped by one label. */
export function sumBy(samples: readonly Sample[], name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.name === name) out[s.labels[label] ?? ""] = (out[s.labels[label] ?? ""] ?? 0) + s.value;
  return out;
}
