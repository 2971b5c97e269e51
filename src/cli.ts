#!/usr/bin/env node
import { Command, Option } from "commander";
import { allServeFlags, envNameOf, isConfigError, loadConfig, type FlagSpec, type RawFlags } from "./config/index.js";
import { runServe } from "./commands/serve.js";

/**
 * okta-connector's command line. Each subcommand validates its input before doing anything and, on a
 * bad value, exits 2 with one line naming the flag and the fix.
 */
const program = new Command("okta-connector")
  .description("A baton-compatible gRPC connector for Okta")
  .configureOutput({ outputError: (text, write) => write(text) })
  .exitOverride();

const serve = program
  .command("serve")
  .description("Serve the c1.connector.v2 gRPC services (and the streaming extension) for one Okta org");
for (const spec of allServeFlags) serve.addOption(optionFor(spec));
serve.action(async (options: Record<string, unknown>) => {
  const config = loadConfig({ flags: rawFlagsFrom(allServeFlags, options), env: process.env });
  await runServe(config);
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
