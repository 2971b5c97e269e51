#!/usr/bin/env node
import { Command, Option } from "commander";
import { allServeFlags, envNameOf, isConfigError, loadConfig, type FlagSpec, type RawFlags, type TypeFlag } from "./config/index.js";
import type { DiffCommandInput } from "./commands/diff.js";
import type { GrantCommandInput } from "./commands/grant.js";
import type { RevokeCommandInput } from "./commands/revoke.js";
import type { SyncCommandInput } from "./commands/sync.js";
import type { WatchCommandInput } from "./commands/watch.js";

/**
 * okta-connector's command line. Each subcommand validates its input before doing anything and, on a
 * bad value, exits 2 with one line naming the flag and the fix.
 */
const program = new Command("okta-connector")
  .description("A baton-compatible gRPC connector for Okta")
  .configureOutput({ outputError: (text, write) => write(redactUnknownOptionValue(text)) })
  .exitOverride();

const serve = program
  .command("serve")
  .description("Serve the c1.connector.v2 gRPC services (and the streaming extension) for one Okta org");
for (const spec of allServeFlags) serve.addOption(optionFor(spec));
// The resource types declare their own flags (--sync-devices, …) in their folders. Reading them loads
// the types and the Okta SDK, which costs a second that only serve should pay, so they are added when
// serve is the command being run.
let typeFlags: readonly TypeFlag[] = [];
program.hook("preSubcommand", async (_program, command) => {
  if (command.name() !== "serve") return;
  ({ OKTA_TYPE_FLAGS: typeFlags } = await import("./connector/okta-type-descriptors.js"));
  for (const flag of typeFlags) serve.addOption(optionFor(flag.spec));
});
serve.action(async (options: Record<string, unknown>) => {
  const specs = [...allServeFlags, ...typeFlags.map((f) => f.spec)];
  const config = loadConfig({ flags: rawFlagsFrom(specs, options), env: process.env, typeFlags });
  // Loaded on use: the Okta SDK behind serve costs seconds to import, which sync, diff and --help need not pay.
  const { runServe } = await import("./commands/serve.js");
  await runServe(config);
});

program
  .command("sync")
  .description("Sync a whole Okta org from a running connector into a SQLite snapshot, over the Sync stream (or the paged RPCs)")
  .addOption(new Option("--connector <address>", "The connector: host:port, http(s)://host:port or unix:///path (required)").env("BATON_CONNECTOR"))
  .option("--out <file>", "Snapshot file to write (required). A new sync REPLACES the file's content; a file that is not a snapshot is refused. Its directory must exist and be writable")
  .option("--resume", "Continue the file's interrupted sync from its last stored batch instead of starting over")
  .option("--paged", "Sync over the c1 paged RPCs instead of the Sync stream, for comparison (retries a page after UNAVAILABLE; cannot resume)")
  .option("--auth-token-file <file>", "File holding the bearer token the connector requires (its --auth-token-file)")
  .option("--batch-size <n>", "Most items per stream batch, 1 to 10000 (default: the connector's)")
  .option("--max-retries <n>", "Retries after UNAVAILABLE without progress (with --paged: of the same page) before giving up, 0 to 100 (default: 8)")
  .option("--json", "Print the summary as JSON instead of a table")
  .addHelpText("after", "\nProgress goes to stderr, the summary to stdout. Exit codes: 0 done, 1 sync failed (resumable with --resume), 2 bad input, 130 interrupted.")
  .action(async (options: SyncCommandInput) => {
    // Loaded on use, so `serve` never loads the SQLite addon.
    const { runSyncCommand } = await import("./commands/sync.js");
    await runSyncCommand(options);
  });

program
  .command("watch")
  .description("Keep a snapshot made by `sync` current: apply the connector's Watch stream (Okta's System Log) to it, printing each change")
  .addOption(new Option("--connector <address>", "The connector: host:port, http(s)://host:port or unix:///path (required)").env("BATON_CONNECTOR"))
  .option("--out <file>", "The snapshot to keep current (required): one a streamed `sync` completed")
  .option("--for <duration>", "Stop after this long: 500ms, 90s, 5m, 2h (default: until Ctrl-C)")
  .option("--poll-interval <duration>", "How often the connector reads Okta's System Log while idle, 250ms to 5m (default: 2s)")
  .option("--sweep-interval <duration>", "How often what Okta does not log (a user's admin roles between the first and the last) is re-read whole, 1s to 24h (default: 5m)")
  .option("--auth-token-file <file>", "File holding the bearer token the connector requires (its --auth-token-file)")
  .option("--json", "Print each change and the summary as JSON lines")
  .addHelpText("after", "\nChanges go to stdout, the summary to stderr. Exit codes: 0 done, 1 failed, 2 bad input, 3 a full sync is needed (then sync and watch again), 130 interrupted.")
  .action(async (options: WatchCommandInput) => {
    const { runWatchCommand } = await import("./commands/watch.js");
    await runWatchCommand(options);
  });

program
  .command("diff")
  .description("Show what changed between two snapshots: added, removed and changed resources, entitlements and grants per resource type")
  .argument("<a>", "The older snapshot")
  .argument("<b>", "The newer snapshot")
  .option("--json", "Print the diff as JSON")
  .option("--limit <n>", "Most ids listed per kind of change (default: 20)")
  .action(async (a: string, b: string, options: DiffCommandInput) => {
    const { runDiffCommand } = await import("./commands/diff.js");
    await runDiffCommand(a, b, options);
  });

program
  .command("grant")
  .description("Grant an entitlement to a principal through a running connector (serve --provisioning); prints the grant the next sync lists")
  .addOption(new Option("--connector <address>", "The connector: host:port, http(s)://host:port or unix:///path (required)").env("BATON_CONNECTOR"))
  .option("--entitlement <id>", "The entitlement id, e.g. group:00g1abcd:member, app:0oa1abcd:access, role:HELP_DESK_ADMIN:assigned (required)")
  .option("--principal <type:id>", "Who receives it, e.g. user:00u1abcd or group:00g1abcd (required)")
  .option("--auth-token-file <file>", "File holding the bearer token the connector requires (its --auth-token-file)")
  .option("--json", "Print the outcome as JSON")
  .action(async (options: GrantCommandInput) => {
    const { runGrantCommand } = await import("./commands/grant.js");
    await runGrantCommand(options);
  });

program
  .command("revoke")
  .description("Revoke a grant, by the id a sync lists it under, through a running connector (serve --provisioning)")
  .addOption(new Option("--connector <address>", "The connector: host:port, http(s)://host:port or unix:///path (required)").env("BATON_CONNECTOR"))
  .option("--grant <id>", "The grant id, e.g. group:00g1abcd:member:user:00u1abcd (required)")
  .option("--auth-token-file <file>", "File holding the bearer token the connector requires (its --auth-token-file)")
  .option("--json", "Print the outcome as JSON")
  .action(async (options: RevokeCommandInput) => {
    const { runRevokeCommand } = await import("./commands/revoke.js");
    await runRevokeCommand(options);
  });

function optionFor(spec: FlagSpec): Option {
  const shownDefault = spec.defaultValue === undefined ? "" : ` (default: ${spec.secret ? "[REDACTED]" : String(spec.defaultValue)})`;
  const env = `${shownDefault} (env: ${envNameOf(spec.name)})`;
  const flags = spec.kind === "boolean" ? `--${spec.name} [bool]` : `--${spec.name} <${spec.kind === "list" ? "a,b" : "value"}>`;
  const option = new Option(flags, spec.description + env);
  // Defaults are applied by loadConfig, after the environment, so commander must not set them; the
  // description shows them instead.
  if (spec.kind === "list") option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  return option;
}

/** Commander camel-cases option names; loadConfig wants flag names. `--x` alone means true. */
function rawFlagsFrom(specs: readonly FlagSpec[], options: Record<string, unknown>): RawFlags {
  const raw: Record<string, string | boolean | readonly string[] | undefined> = {};
  for (const spec of specs) {
    const key = spec.name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = options[key];
    raw[spec.name] = value === undefined ? undefined : (value as string | boolean | string[]);
  }
  return raw;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isConfigError(error)) {
    process.stderr.write(`okta-connector: ${error.message}\n`);
    process.exit(2);
  }
  const code = (error as { code?: string; exitCode?: number }).code;
  if (typeof code === "string" && code.startsWith("commander.")) {
    const exitCode = (error as { exitCode?: number }).exitCode ?? 2;
    // Commander already printed its message (help, version or a usage error).
    process.exit(code === "commander.helpDisplayed" || code === "commander.help" || code === "commander.version" ? 0 : exitCode === 1 ? 2 : exitCode);
  }
  process.stderr.write(`okta-connector: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

/**
 * commander echoes a mistyped flag whole, so `--api-tokn=SECRET` would print the secret; what
 * follows the `=` of an unknown option is replaced, since it may be a misspelt secret flag's value.
 */
function redactUnknownOptionValue(text: string): string {
  return text.replace(/(unknown option '--?[^'=\s]+=)[^']*'/g, "$1[REDACTED]'");
}
