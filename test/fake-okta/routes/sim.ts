import type { IncomingMessage, ServerResponse } from "node:http";
import { groundTruthChunks } from "../ground-truth.js";
import { validateFaults, type FaultInjector } from "../http/faults.js";
import { sendJson, sendStream } from "../http/io.js";
import type { RequestLog } from "../http/request-log.js";
import type { StatsRecorder } from "../http/stats.js";
import type { Org } from "../org/org.js";
import type { LogVisibility } from "../org/system-log.js";

/** What the `/__sim/*` admin paths read and change. */
export interface SimDeps {
  org: Org;
  stats: StatsRecorder;
  faults: FaultInjector;
  requestLog: RequestLog;
  churn(count: number): unknown[];
}

/**
 * The simulator's own API (no token, never rate-limited or faulted):
 * - `GET /__sim/ground-truth`: the whole org as JSON, streamed (see ground-truth.ts);
 * - `GET /__sim/stats`, `POST /__sim/stats/reset`: request accounting per bucket and route;
 * - `GET /__sim/faults`, `POST /__sim/faults` (a partial FaultSettings object, validated);
 * - `GET /__sim/requests?limit=N`: the latest N requests (default 100);
 * - `POST /__sim/churn?count=N`: N random changes now (default 1), answered with the changes;
 * - `GET /__sim/log`, `POST /__sim/log`: System Log visibility (lagMs, reorderRate, reorderDelayMs, retentionMs).
 * Errors answer `{"error": "<what is wrong>"}`.
 */
export function createSimHandler(deps: SimDeps) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: string): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const key = `${method} ${path.replace(/\/+$/, "")}`;
    switch (key) {
      case "GET /__sim/ground-truth":
        res.writeHead(200, { "Content-Type": "application/json" });
        await sendStream(res, groundTruthChunks(deps.org));
        return;
      case "GET /__sim/stats":
        sendJson(res, 200, deps.stats.snapshot(), {});
        return;
      case "POST /__sim/stats/reset":
        deps.stats.reset();
        sendJson(res, 204, undefined, {});
        return;
      case "GET /__sim/faults":
        sendJson(res, 200, deps.faults.settings(), {});
        return;
      case "POST /__sim/faults": {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body === "" ? "{}" : body);
        } catch {
          sendJson(res, 400, { error: "the body is not valid JSON" }, {});
          return;
        }
        try {
          sendJson(res, 200, deps.faults.update(validateFaults(parsed)), {});
        } catch (error) {
          sendJson(res, 400, { error: (error as Error).message }, {});
        }
        return;
      }
      case "GET /__sim/requests": {
        const limit = Math.max(0, Math.min(100_000, Number(query.get("limit") ?? 100) || 0));
        const entries = deps.requestLog.entries();
        sendJson(res, 200, entries.slice(Math.max(0, entries.length - limit)), {});
        return;
      }
      case "POST /__sim/churn": {
        const raw = query.get("count") ?? "1";
        const count = Number(raw);
        if (!/^\d+$/.test(raw) || count > 100_000) {
          sendJson(res, 400, { error: `count must be a whole number between 0 and 100000 (got "${raw}")` }, {});
          return;
        }
        sendJson(res, 200, deps.churn(count), {});
        return;
      }
      case "GET /__sim/log":
        sendJson(res, 200, { ...deps.org.log.visibility(), pending: deps.org.log.pending(), lastSeq: deps.org.log.lastSeq() }, {});
        return;
      case "POST /__sim/log": {
        try {
          const parsed = JSON.parse(body === "" ? "{}" : body) as Record<string, unknown>;
          const known = new Set(["lagMs", "reorderRate", "reorderDelayMs", "retentionMs"]);
          const unknown = Object.keys(parsed).find((k) => !known.has(k) || typeof parsed[k] !== "number");
          if (unknown !== undefined) throw new Error(`${unknown} is not a System Log setting (lagMs, reorderRate, reorderDelayMs, retentionMs: numbers)`);
          deps.org.log.setVisibility(parsed as Partial<LogVisibility>);
          sendJson(res, 200, deps.org.log.visibility(), {});
        } catch (error) {
          sendJson(res, 400, { error: (error as Error).message }, {});
        }
        return;
      }
      default:
        sendJson(res, 404, { error: `no simulator endpoint ${key}` }, {});
    }
  };
}
