// Installs dependencies from the committed lock file when they are missing or older than the lock, so
// that `npm run demo` and `npm test` each work as the first command on a fresh clone. Plain Node: it
// runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync("package-lock.json").mtimeMs;
if (stale) {
  process.stderr.write("okta-connector: installing dependencies from package-lock.json (npm ci)…\n");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write("okta-connector: npm ci failed; check your network access to the npm registry and Node >= 20.19\n");
    process.exit(result.status ?? 1);
  }
}
