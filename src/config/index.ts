export type { Config, LogLevel, OktaAuth, ServerConfig, SyncOptions, TlsFiles, TraceSampler, TracingConfig } from "./config.js";
export { REDACTED } from "./config.js";
export { ConfigError, isConfigError } from "./config-error.js";
export { allServeFlags, envNameOf, oktaFlags, serveFlagsWith, serviceFlags, type FlagSpec, type TypeFlag } from "./flags.js";
export { formatListenAddress, parseListenAddress, type ListenAddress, type TcpListenAddress } from "./listen-address.js";
export { loadConfig, type LoadConfigInput, type RawFlags } from "./load-config.js";
export { isLoopbackHost, parseOktaOrgUrl } from "./org-url.js";
