import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * The address `okta-connector serve` is listening on, from its "okta-connector serving" log line.
 * Every later stdout line (one per RPC) is read and dropped, so the pipe never fills and blocks the
 * connector. Rejects, with `tail()` for context, if the process exits first.
 */
export function boundAddress(child: ChildProcess, tail: () => string = () => ""): Promise<string> {
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; listen?: string };
        if (entry.msg === "okta-connector serving" && entry.listen) resolve(entry.listen);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => reject(new Error(`okta-connector serve exited ${code} before listening${tail() === "" ? "" : `:\n${tail()}`}`)));
  });
}
