/**
 * `npm run test:interop`: proves the wire with peers built from the upstream contracts, not from our
 * own .proto copies. Against `okta-connector serve` on a simulated 10,000-user org it runs grpcurl
 * (reflection, describe, every read RPC we serve, our Sync stream; cleartext and TLS; bearer auth),
 * compares the reflected schema with baton-sdk's compiled descriptors, and runs baton-sdk's own syncer
 * (test/interop/cmd/batonsync) for a super admin and a read-only token, checking each c1z against the
 * simulator's ground truth. On a second, small org and a `serve --provisioning` server it sends a
 * Grant and a Revoke through baton-sdk's connector client (baton-sdk's provisioner) and checks that
 * syncs by the same client show them. On a third org whose System Log lags and reorders, baton-sdk's
 * client reads the event feed after churn and its syncer runs a targeted sync of what the events name
 * (targeted-checks.ts). Needs the binaries test/interop/setup.sh builds and dist/
 * (npm run build).
 *
 * Output: `ok <name>` / `FAIL <name>: reason` per check, `# …` notes (measurements), and a final
 * `N passed, N failed`; exit status 1 when any check failed. INTEROP_USERS overrides the org size
 * for a quicker local run.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServeProcess } from "../support/serve-process.js";
import { CLI_PATH } from "../support/serve-process.js";
import { expectedSync } from "../sync/support/expected-sync.js";
import { checkBearerAuth } from "./auth-checks.js";
import { checkBatonSync, measurementLine } from "./baton-checks.js";
import { checkEventFeed } from "./event-checks.js";
import { checkWithGrpcurl } from "./grpcurl-checks.js";
import { checkProvisioning, pickMembership } from "./provisioning-checks.js";
import { checkTargetedSync } from "./targeted-checks.js";
import { assert, type CheckRecorder, createCheckRecorder } from "./support/checks.js";
import { expectedC1z } from "./support/expected-c1z.js";
import { GRPCURL } from "./support/grpcurl.js";
import { BATONSYNC, PROTOCOMPARE, runHarness, runProtocompare, runProvisionSession } from "./support/harness.js";
import { startConnector, startSimulatedOrg, type SimulatedOrg } from "./support/processes.js";
import { createTlsFiles } from "./support/tls.js";

const USERS = Number(process.env["INTEROP_USERS"] ?? 10_000);
const SEED = 7;
const SYNC_FLAGS = ["--sync-custom-roles", "--sync-secrets"];
/** The opt-in types' flags, all on in the third baton-sdk sync; the expected options that match them. */
const OPT_IN_FLAGS = ["--sync-devices"];
const OPT_IN_EXPECTED = { syncDevices: true } as const;
/** The provisioning session syncs three times; a small org of its own keeps that quick and leaves the big org's data as the ground truth says. */
const PROVISIONING_USERS = 300;

async function main(): Promise<number> {
  const checks = createCheckRecorder();
  const missing = [CLI_PATH, GRPCURL, BATONSYNC, PROTOCOMPARE].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    checks.fail("interop prerequisites", `missing ${missing.join(", ")}: run npm run build and test/interop/setup.sh (npm run test:interop does both)`);
    console.log(checks.summary());
    return 1;
  }
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), "okta-connector-interop-"));
  const servers: ServeProcess[] = [];
  let org: SimulatedOrg | undefined;
  try {
    org = await startSimulatedOrg({ users: USERS, seed: SEED });
    const truth = await org.groundTruth();
    checks.note(`simulated org: ${truth.users.length} users, ${truth.groups.length} groups, ${truth.apps.length} apps, ${truth.roleAssignments.length} role assignments (seed ${SEED})`);

    const tls = createTlsFiles(work);
    const bearerToken = randomBytes(24).toString("base64url");
    const bearerFile = join(work, "bearer-token");
    writeFileSync(bearerFile, `${bearerToken}\n`, { mode: 0o600 });

    // Cleartext with a super admin token; TLS plus a bearer token with a read-only token.
    const plain = await startConnector({ org, level: "super_admin", args: SYNC_FLAGS });
    servers.push(plain);
    const secure = await startConnector({ org, level: "read_only", args: [...SYNC_FLAGS, "--tls-cert", tls.serverCert, "--tls-key", tls.serverKey, "--auth-token-file", bearerFile] });
    servers.push(secure);
    // DEPROVISIONED users synced too (issue 13 item 1): the org holds them in groups assigned to apps,
    // where Okta lists them as no app's users, so expanding those groups' app grants would invent access.
    // The same run turns on every opt-in type, so baton-sdk's syncer reads each of them too.
    const withDeprovisioned = await startConnector({ org, level: "super_admin", args: [...SYNC_FLAGS, "--sync-deprovisioned-users", ...OPT_IN_FLAGS] });
    servers.push(withDeprovisioned);

    const full = { sync: expectedSync(truth, { syncCustomRoles: true, syncSecrets: true }), c1z: expectedC1z(truth, { syncCustomRoles: true, syncSecrets: true }), rolesReadable: true };
    const readOnly = { sync: expectedSync(truth, { syncCustomRoles: true, syncSecrets: true, rolesReadable: false }), c1z: expectedC1z(truth, { syncCustomRoles: true, syncSecrets: true, rolesReadable: false }), rolesReadable: false };
    const withOptIns = { syncCustomRoles: true, syncSecrets: true, syncDeprovisionedUsers: true, ...OPT_IN_EXPECTED };
    const deprovisioned = { sync: expectedSync(truth, withOptIns), c1z: expectedC1z(truth, withOptIns), rolesReadable: true };

    // baton-sdk's syncer with the SQLite engine first, one run at a time while the org's rate-limit
    // windows are fresh, so the durations are the engine's.
    const measurements: string[] = [];
    const batonSync = async (recorder: CheckRecorder, r: { label: string; address: string; engine: "sqlite" | "pebble"; expected: typeof full; caCert?: string; bearerTokenFile?: string }, i: number) => {
      const idsPath = join(work, `run${i}.ids.jsonl`);
      const run = await runHarness({ address: r.address, out: join(work, `run${i}.c1z`), ids: idsPath, engine: r.engine, caCert: r.caCert, bearerTokenFile: r.bearerTokenFile });
      await checkBatonSync(recorder, { label: r.label, run, idsPath, expected: r.expected.c1z, rolesReadable: r.expected.rolesReadable, truth });
      measurements.push(measurementLine(r.label, run) + (r.engine === "pebble" ? " [ran alongside the grpcurl checks]" : ""));
      rmSync(idsPath, { force: true });
    };
    await batonSync(checks, { label: "baton super_admin sqlite h2c", address: plain.address, engine: "sqlite", expected: full }, 0);
    await batonSync(checks, { label: "baton read_only sqlite tls+bearer", address: secure.address, engine: "sqlite", expected: readOnly, caCert: tls.caCert, bearerTokenFile: bearerFile }, 1);
    checks.note(`baton-sdk SQLite syncs and their checks: ${((Date.now() - started) / 1000).toFixed(0)} s since start`);

    // Then tracks side by side: the Pebble sync (its duration is not a headline figure), each
    // server's grpcurl checks, and the provisioning, MFA and targeted-sync sessions on orgs of their own. Each track prints its lines when done, so the output stays grouped.
    const track = async (name: string, body: (recorder: CheckRecorder) => Promise<void>): Promise<{ lines: string[]; recorder: CheckRecorder }> => {
      const lines: string[] = [];
      const recorder = createCheckRecorder((line) => lines.push(line));
      const began = Date.now();
      try {
        await body(recorder);
      } catch (error) {
        recorder.fail(`${name} track`, error instanceof Error ? (error.stack ?? error.message) : String(error));
      }
      recorder.note(`${name} track: ${((Date.now() - began) / 1000).toFixed(0)} s`);
      return { lines, recorder };
    };
    const tracks = await Promise.all([
      // The SQLite engine skips the referential invariants (I3, I7, I8, I9); the Pebble engine runs them.
      track("pebble", (recorder) => batonSync(recorder, { label: "baton super_admin pebble h2c", address: plain.address, engine: "pebble", expected: full }, 2)),
      track("deprovisioned", (recorder) => batonSync(recorder, { label: `baton super_admin sqlite --sync-deprovisioned-users ${OPT_IN_FLAGS.join(" ")}`, address: withDeprovisioned.address, engine: "sqlite", expected: deprovisioned }, 3)),
      track("h2c", async (recorder) => {
        await recorder.check("protocompare: the reflected c1.connector.v2 and c1.config.v1 schema equals baton-sdk v0.25.0's descriptors", async () => {
          const { exitCode, report, stderr } = await runProtocompare(plain.address);
          assert(report !== undefined, `no report (exit ${exitCode}): ${stderr.trim()}`);
          assert(exitCode === 0 && report.differences.length === 0, report.differences.join("; "));
          recorder.note(`protocompare: ${report.files} files, ${report.messages} messages, ${report.enums} enums, ${report.services} services, ${report.methods} methods compared; reserved on our side: ${report.reserved.join("; ") || "none"}`);
        });
        await checkWithGrpcurl(recorder, { label: "grpcurl h2c", target: { address: plain.address }, ...full });
      }),
      track("tls", async (recorder) => {
        await checkWithGrpcurl(recorder, { label: "grpcurl tls", target: { address: secure.address, caCert: tls.caCert, headers: [`authorization: Bearer ${bearerToken}`] }, ...readOnly });
        await checkBearerAuth(recorder, { label: "grpcurl tls auth", target: { address: secure.address, caCert: tls.caCert }, bearerToken, server: secure });
      }),
      track("provisioning", (recorder) => provisioningSession(recorder, join(work, "provisioning"))),
      track("mfa", (recorder) => mfaStatusSync(recorder, work)),
      // Its own small org, whose System Log lags and reorders: baseline, churn, targeted sync from the feed.
      track("targeted", (recorder) => checkTargetedSync(recorder, work)),
    ]);
    for (const { lines, recorder } of tracks) {
      for (const line of lines) console.log(line);
      checks.absorb(recorder);
    }

    const totals = await org.totals();
    for (const line of measurements) checks.note(line);
    checks.note(`simulated Okta: ${totals.calls} API calls, ${totals.throttled} answered 429; interop run ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (error) {
    checks.fail("interop run", error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await org?.stop();
    if (checks.failed === 0) rmSync(work, { recursive: true, force: true });
    else checks.note(`kept ${work} (c1z files, certificates) for inspection`);
  }
  console.log(checks.summary());
  return checks.failed === 0 ? 0 : 1;
}

/**
 * Starts a small org and `serve --provisioning` (super_admin) for it, runs `batonsync -provision`
 * (sync, Grant ×2, sync, Revoke ×2, sync over one baton-sdk connector client) and checks the report.
 */
async function provisioningSession(checks: CheckRecorder, dir: string): Promise<void> {
  const org = await startSimulatedOrg({ users: PROVISIONING_USERS, seed: SEED });
  let server: ServeProcess | undefined;
  try {
    const truth = await org.groundTruth();
    const pick = pickMembership(truth);
    if (pick === undefined) {
      checks.fail("provisioning via baton-sdk", `the ${truth.users.length}-user org has no OKTA_GROUP with an ACTIVE user outside it`);
      return;
    }
    server = await startConnector({ org, level: "super_admin", args: ["--provisioning"] });
    // The simulator and the connector share this machine's clock; a second back covers its ms rounding.
    const sessionStart = new Date(Date.now() - 1_000);
    const run = await runProvisionSession({ address: server.address, dir, entitlement: pick.entitlementId, principal: pick.userId, principalType: "user" });
    const finalTruth = await org.groundTruth();
    await checkProvisioning(checks, { label: "provisioning via baton-sdk", run, pick, truth, finalTruth, server });
    await checkEventFeed(checks, { label: "event feed via baton-sdk", address: server.address, startAt: sessionStart, grantId: `${pick.entitlementId}:user:${pick.userId}` });
    const syncs = (run.report?.steps ?? []).filter((s) => s.kind === "sync").map((s) => `${s.sync?.seconds.toFixed(1) ?? "?"} s`);
    checks.note(`provisioning via baton-sdk: ${truth.users.length}-user org (seed ${SEED}); session ${run.wallSeconds.toFixed(1)} s, its three syncs ${syncs.join(", ")}`);
  } finally {
    await server?.stop();
    await org.stop();
  }
}

/**
 * --sync-mfa-status through baton-sdk's syncer: one factor read per user, so on a small org of its own
 * (at 10,000 users the reads, paced to leave half of Okta's bucket to others, would add about 17
 * minutes). Every other flag is on too, so this sync holds every type the connector has.
 */
async function mfaStatusSync(checks: CheckRecorder, work: string): Promise<void> {
  const org = await startSimulatedOrg({ users: PROVISIONING_USERS, seed: SEED });
  let server: ServeProcess | undefined;
  try {
    const truth = await org.groundTruth();
    server = await startConnector({ org, level: "super_admin", args: [...SYNC_FLAGS, ...OPT_IN_FLAGS, "--sync-mfa-status"] });
    const expected = expectedC1z(truth, { syncCustomRoles: true, syncSecrets: true, ...OPT_IN_EXPECTED, syncMfaStatus: true });
    const idsPath = join(work, "mfa.ids.jsonl");
    const label = `baton super_admin sqlite --sync-mfa-status ${OPT_IN_FLAGS.join(" ")} (${truth.users.length} users)`;
    const run = await runHarness({ address: server.address, out: join(work, "mfa.c1z"), ids: idsPath, engine: "sqlite" });
    await checkBatonSync(checks, { label, run, idsPath, expected, rolesReadable: true, truth });
    const mfa = [...expected.userPosture.values()].filter((p) => p.mfaEnabled !== null);
    checks.note(`${label}: ${mfa.length} users with mfa_status (${mfa.filter((p) => p.mfaEnabled).length} enabled); ${measurementLine(label, run)}`);
  } finally {
    await server?.stop();
    await org.stop();
  }
}

process.exitCode = await main();
