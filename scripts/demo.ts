/**
 * The main job on a fresh clone (`npm run demo`): a simulated Okta org, the real connector serving it,
 * and the reference engine syncing it into a SQLite snapshot over the streaming Sync RPC. Prints the
 * summary and leaves the snapshot on disk; --keep-running leaves everything up for grpcurl/buf curl.
 * --watch then changes the org at random for a while (memberships, assignments, roles, lifecycles)
 * while `okta-connector watch` keeps the snapshot current, printing each change as it arrives, and
 * ends with a diff against a fresh sync: none.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startFakeOkta } from "../test/fake-okta/index.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "2000" },
    seed: { type: "string", default: "7" },
    out: { type: "string", default: ".tmp/demo-snapshot.sqlite" },
    "keep-running": { type: "boolean", default: false },
    paged: { type: "boolean", default: false },
    provisioning: { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    "watch-for": { type: "string", default: "20s" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write("usage: npm run demo -- [--users N] [--seed N] [--out FILE] [--paged] [--provisioning] [--watch [--watch-for 20s]] [--keep-running]\n");
  process.exit(0);
}
const users = Number(values.users);
const seed = Number(values.seed);
if (!Number.isInteger(users) || users < 10 || users > 100_000) fail("--users: must be a whole number from 10 to 100000");
if (!Number.isInteger(seed) || seed < 0) fail("--seed: must be a whole number >= 0");
const watchFor = /^(\d+)s$/.exec(values["watch-for"]!);
if (!watchFor || Number(watchFor[1]) < 8 || Number(watchFor[1]) > 3600) fail("--watch-for: must be seconds from 8s to 3600s, e.g. 20s");
if (values.watch && values.paged) fail("--watch: needs the streaming sync (its summary carries the watch cursor); drop --paged");

const cli = new URL("../dist/src/cli.js", import.meta.url).pathname;
const children: ChildProcess[] = [];

step(`starting a simulated Okta org with ${users} users (seed ${seed})`);
const okta = await startFakeOkta({ users, seed });
step(`simulated org at ${okta.url}`);

step("starting okta-connector serve against it (super admin token, --sync-custom-roles)");
const serveArgs = ["serve", "--domain", okta.url, "--listen", "127.0.0.1:0", "--sync-custom-roles", ...(values.provisioning ? ["--provisioning"] : [])];
const connector = spawn(process.execPath, [cli, ...serveArgs], {
  env: { ...process.env, BATON_API_TOKEN: okta.tokens.super_admin, HTTPS_PROXY: "", https_proxy: "" },
  stdio: ["ignore", "pipe", "inherit"],
});
children.push(connector);
const address = await boundAddress(connector);
step(`connector listening on ${address}`);

mkdirSync(new URL("../.tmp", import.meta.url).pathname, { recursive: true });
step(`syncing into ${values.out}${values.paged ? " over the paged c1 RPCs" : " over the streaming Sync RPC"}`);
const syncArgs = [cli, "sync", "--connector", address, "--out", values.out!, ...(values.paged ? ["--paged"] : [])];
await runCli(syncArgs.slice(1));
if (values.provisioning) await provisioningRoundTrip();
if (values.watch) await watchLive(Number(watchFor![1]));
const served = okta.stats().totals;
step(`done: snapshot left at ${values.out}; the simulated org answered ${served.calls} API requests (${served.throttled} of them 429)`);

if (values["keep-running"]) {
  const curl = `npx buf curl --protocol grpc --http2-prior-knowledge`;
  process.stdout.write(`
Everything stays up until Ctrl-C. Try:
  ${curl} --list-services http://${address}
  ${curl} http://${address}/c1.connector.v2.ResourceTypesService/ListResourceTypes -d '{}'
  ${curl} http://${address}/c1.connector.v2.ResourcesService/ListResources -d '{"resourceTypeId":"group"}'
  ${curl} http://${address}/oktaconnector.v1.ConnectorStreamService/Sync -d '{}'
  grpcurl -plaintext ${address} list        (if grpcurl is installed)
  node ${cli} diff ${values.out} other.sqlite
`);
  process.once("SIGINT", () => void shutdown().then(() => process.exit(0)));
} else {
  await shutdown();
}

/**
 * Issue 6's round trip: grant a group membership, sync and diff (the grant appears), revoke it, sync
 * and diff again (it is gone). The group and user are picked from the org so that the grant is new.
 */
async function provisioningRoundTrip(): Promise<void> {
  const truth = await okta.groundTruth();
  const group = truth.groups.find((g) => g.type === "OKTA_GROUP" && g.memberIds.length > 0)!;
  const user = truth.users.find((u) => u.status === "ACTIVE" && !group.memberIds.includes(u.id))!;
  const entitlement = `group:${group.id}:member`;
  const grant = `${entitlement}:user:${user.id}`;
  const afterGrant = values.out!.replace(/(\.sqlite)?$/, "-after-grant.sqlite");
  const afterRevoke = values.out!.replace(/(\.sqlite)?$/, "-after-revoke.sqlite");
  step(`provisioning: granting ${entitlement} (${group.name}) to user:${user.id} (${user.login})`);
  await runCli(["grant", "--connector", address, "--entitlement", entitlement, "--principal", `user:${user.id}`]);
  step("provisioning: syncing again; the diff must show exactly that grant added");
  await runCli(["sync", "--connector", address, "--out", afterGrant]);
  await runCli(["diff", values.out!, afterGrant]);
  step(`provisioning: revoking ${grant}`);
  await runCli(["revoke", "--connector", address, "--grant", grant]);
  step("provisioning: syncing again; the diff must show exactly that grant removed");
  await runCli(["sync", "--connector", address, "--out", afterRevoke]);
  await runCli(["diff", afterGrant, afterRevoke]);
}

/**
 * Changes the org about every 1.5 s (a few random changes at a time, through the simulator's API
 * paths, each logged to its System Log) while `watch` applies them to the snapshot; then a fresh sync
 * and a diff show the watched snapshot equal to it. The last seconds change nothing, so the log settles.
 */
async function watchLive(seconds: number): Promise<void> {
  step(`watch: changing the org at random for ${seconds - 5} s while okta-connector watch keeps ${values.out} current`);
  const churn = setInterval(() => okta.churn(3), 1_500);
  const stopChurn = setTimeout(() => clearInterval(churn), (seconds - 5) * 1_000);
  // What Okta does not log (a user's admin roles between the first and the last) is re-read on a
  // timer, 5 minutes by default; the demo's is 3 s, so one runs in its quiet last seconds.
  await runCli(["watch", "--connector", address, "--out", values.out!, "--for", `${seconds}s`, "--sweep-interval", "3s"]);
  clearInterval(churn);
  clearTimeout(stopChurn);
  const fresh = values.out!.replace(/(\.\w+)?$/, "-fresh$1");
  step(`watch: syncing the changed org afresh into ${fresh} and comparing`);
  await runCli(["sync", "--connector", address, "--out", fresh]);
  await runCli(["diff", values.out!, fresh]);
}

function runCli(args: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: "inherit" });
    children.push(child);
    child.once("close", (c) => {
      if (c === 0) return resolve();
      void shutdown().then(() => fail(`okta-connector ${args[0]} exited ${c}`));
    });
  });
}

async function shutdown(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await okta.close();
}

function boundAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; listen?: string };
        if (entry.msg === "okta-connector serving" && entry.listen) resolve(entry.listen);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (c) => reject(new Error(`okta-connector serve exited ${c} before listening`)));
  });
}

function step(message: string): void {
  process.stderr.write(`demo: ${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}
