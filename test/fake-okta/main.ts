/**
 * `npm run fake-okta -- [flags]`: starts the simulated org and prints one JSON line with its url, API
 * tokens and OAuth clients (each private key written to a private temp dir), then serves until SIGINT,
 * SIGTERM or SIGHUP. A bad flag prints one line naming it and exits 2. npm and npx do not forward signals
 * to it: signal its process group, or run node_modules/.bin/tsx directly.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { USAGE, isCliArgsError, parseFakeOktaArgs } from "./cli-args.js";
import { startFakeOkta } from "./index.js";
import { ADMIN_LEVELS } from "./permissions.js";

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseFakeOktaArgs(process.argv.slice(2));
  } catch (error) {
    if (!isCliArgsError(error)) throw error;
    process.stderr.write(`fake-okta: ${error.message} (see --help)\n`);
    process.exit(2);
  }
  if (parsed.kind === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const fake = await startFakeOkta(parsed.options);
  // Private keys go to a directory only this user can read; it is removed on exit.
  const keyDir = mkdtempSync(join(tmpdir(), "fake-okta-keys-"));
  const oauth = Object.fromEntries(ADMIN_LEVELS.map((level) => {
    const client = fake.oauthClients[level];
    const privateKeyPath = join(keyDir, `${level}.pem`);
    writeFileSync(privateKeyPath, client.privateKeyPem, { mode: 0o600 });
    return [level, { clientId: client.clientId, privateKeyPath, scopes: client.scopes }];
  }));
  process.stdout.write(`${JSON.stringify({ url: fake.url, tokens: fake.tokens, oauth })}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const { totals } = fake.stats();
    process.stderr.write(`fake-okta: ${signal}, stopping after ${totals.calls} API requests (${totals.throttled} answered 429)\n`);
    rmSync(keyDir, { recursive: true, force: true });
    void fake.close().then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-okta: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
