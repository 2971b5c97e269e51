export type { AuditEntry, AuditOperation, UpstreamCall } from "./audit.js";
export { connectErrorFrom, ConnectorError, isKindedError, type FailureKind, type KindedError, type RateLimitInfo } from "./errors.js";
export { entitlementId, grantId } from "./ids.js";
export { LIMITS, truncateUtf8, utf8Length } from "./limits.js";
export { derivePageTokenKey, type PageTokenKey } from "./page-token.js";
export { connectorJsonTypes, connectorProtoFiles } from "./proto-files.js";
export { registerConnectorServices } from "./register-services.js";
export type {
  AccountCredential,
  AccountOutcome,
  AccountRequest,
  AccountSecret,
  CoverageGap,
  Cursor,
  GrantOutcome,
  Page,
  ProvisionCallContext,
  ResourceSyncer,
  RevokeOutcome,
  SyncCallContext,
  SyncerAction,
} from "./resource-syncer.js";
export { BATON_SDK_VERSION, type ConnectorDefinition, type OktaCallTally, type ProvisioningAccess } from "./services/connector-definition.js";
export { createSyncerRegistry, type SyncerRegistry } from "./syncer-registry.js";
