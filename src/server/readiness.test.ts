import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createHealth, ServingStatus } from "./health.js";
import { createLogger } from "./logger.js";
import { startReadiness } from "./readiness.js";

function capture() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.setEncoding("utf8").on("data", (chunk: string) => {
    for (const line of chunk.split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger: createLogger({ level: "info", destination: stream }), lines };
}

describe("startReadiness", () => {
  it("turns the server SERVING after the check first succeeds, retrying with doubling waits", async () => {
    const health = createHealth({ initialStatus: ServingStatus.NOT_SERVING });
    const { logger, lines } = capture();
    let calls = 0;
    const readiness = startReadiness({
      health,
      logger,
      initialDelayMs: 5,
      maxDelayMs: 12,
      check: async () => {
        calls++;
        if (calls < 4) throw new Error(`Okta rejected the credential (E0000011), try ${calls}`);
      },
    });
    await readiness.firstAttempt;
    expect(health.getStatus("")).toBe(ServingStatus.NOT_SERVING);
    expect(await readiness.ready).toBe(true);
    expect(health.getStatus("")).toBe(ServingStatus.SERVING);
    expect(calls).toBe(4);
    await new Promise((resolve) => logger.flush(resolve));
    const failures = lines.filter((l) => l.msg === "not ready: validating the Okta credential failed");
    expect(failures.map((l) => [l.attempt, l.retryInMs])).toEqual([[1, 5], [2, 10], [3, 12]]);
    expect(failures[0]?.reason).toBe("Okta rejected the credential (E0000011), try 1");
    expect(lines.filter((l) => l.msg === "okta-connector ready: the Okta credential is valid")).toHaveLength(1);
  });

  it("settles the first attempt after a success only once the status is SERVING", async () => {
    const health = createHealth({ initialStatus: ServingStatus.NOT_SERVING });
    const readiness = startReadiness({ health, logger: capture().logger, check: async () => undefined });
    await readiness.firstAttempt;
    expect(health.getStatus("")).toBe(ServingStatus.SERVING);
  });

  it("stops retrying and never turns SERVING once stopped, cancelling the check in flight", async () => {
    const health = createHealth({ initialStatus: ServingStatus.NOT_SERVING });
    let seenSignal: AbortSignal | undefined;
    const readiness = startReadiness({
      health,
      logger: capture().logger,
      check: (signal) => {
        seenSignal = signal;
        return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("cancelled")), { once: true }));
      },
    });
    readiness.stop();
    expect(await readiness.ready).toBe(false);
    expect(seenSignal?.aborted).toBe(true);
    expect(health.getStatus("")).toBe(ServingStatus.NOT_SERVING);
  });
});
