import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

/**
 * Paths pino must never print. Headers are logged only through `headersForLog`, so the list covers the
 * places a secret could ride along: auth headers, config objects and Okta SDK errors carrying request
 * options.
 */
const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.dpop",
  "*.headers.dpop",
  "token",
  "*.token",
  "apiToken",
  "*.apiToken",
  "privateKey",
  "*.privateKey",
  "privateKeyPem",
  "*.privateKeyPem",
  "clientAssertion",
  "*.clientAssertion",
  "password",
  "*.password",
];

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Where lines go; stdout (fd 1) when absent. Tests pass a stream to read the lines back. */
  readonly destination?: NodeJS.WritableStream;
}

/** JSON lines on stdout, one object per event, with secrets censored as [REDACTED]. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "okta-connector" },
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
