import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The buf CLI that npm installs with @bufbuild/buf, so tests need nothing from the machine's PATH. */
export const BUF_BIN = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));

/** The outcome of one buf run. For an RPC, `code` is the gRPC status code × 8 (NOT_FOUND → 40). */
export interface BufCurlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `buf curl --protocol grpc --http2-prior-knowledge …args`. The default protocol of buf curl
 * is Connect, and our h2c server speaks only HTTP/2, hence both flags. A non-zero exit is returned,
 * not thrown, so tests can assert on the code.
 *
 * @example bufCurl([`${url}/grpc.health.v1.Health/Check`, "-d", "{}"])
 */
export function bufCurl(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<BufCurlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      BUF_BIN,
      ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args],
      // A whole-org Sync prints over execFile's 1 MiB default even for a 50-user org; size is not what these tests check.
      { timeout: options.timeoutMs ?? 30_000, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        // execFile sets a numeric `code` for a non-zero exit and a string one (ENOENT, …) when buf never ran.
        if (typeof error.code === "number") return resolve({ code: error.code, stdout, stderr });
        reject(error);
      },
    );
  });
}
