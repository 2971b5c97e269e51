/**
 * A configuration problem, reported before the server listens: one line that names the flag (and its
 * environment variable) and says how to fix it. Never carries a secret's value.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly flag: string,
    problem: string,
    fix?: string,
  ) {
    super(`--${flag}: ${problem}${fix ? `; ${fix}` : ""}`);
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof Error && value.name === "ConfigError" && typeof (value as ConfigError).flag === "string";
}
