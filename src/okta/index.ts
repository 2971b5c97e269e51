/**
 * The Okta access layer's public surface: what syncers, the protocol layer and the CLI use.
 * Internal helpers (the executor class, header parsing, pacing state) stay unexported.
 */
export { createOktaApi, type OktaApi } from "./api.js";
export {
  createOktaAppsApi,
  type AssignGroupToAppInput,
  type AssignUserToAppInput,
  type ListAppsOptions,
  type OktaAppsApi,
} from "./apps.js";
export { OKTA_BUCKETS, bucketFor, type OktaBucket } from "./buckets.js";
export { withCallContext, withSignal, type OktaCallContext } from "./call-context.js";
export { attemptWrite, type WriteAttempt } from "./uncertain-write.js";
export { probeCapabilities, capabilitiesFromReports, type OktaCapabilities } from "./capabilities.js";
export {
  CAPABILITY_REQUIREMENTS,
  WRITE_CAPABILITIES,
  capabilityReport,
  describeMissingCapability,
  type CapabilityReport,
  type CapabilityStatus,
  type OktaCapability,
  type WriteCapability,
} from "./capability-report.js";
export { deriveWriteCapabilities, verdictFromWrite, writeCapabilityOf, type WriteAnswer, type WriteEvidence } from "./write-capabilities.js";
export {
  createOktaClient,
  type OktaAuth,
  type OktaClient,
  type OktaClientOptions,
  type OktaQuery,
  type OktaRequest,
  type OktaResponse,
} from "./client.js";
export {
  OKTA_ERROR_CODES,
  OktaError,
  isOktaError,
  oktaErrorFrom,
  type OktaErrorKind,
  type OktaRateLimit,
} from "./errors.js";
export type { OktaAttemptInfo, OktaAttemptOutcome, OktaCallStats, OktaLogger, OktaRequestObserver } from "./executor.js";
export { createOktaGroupsApi, type ListGroupsOptions, type OktaGroupsApi } from "./groups.js";
export { validateCursor, validateOktaId, type OktaIdKind } from "./ids.js";
export { getOrg } from "./org.js";
export { OKTA_PAGE_LIMITS } from "./page-limits.js";
export { expectObject, fetchIamPage, fetchPage } from "./paging.js";
export { createOktaRolesApi, roleBody, type OktaRolesApi, type RoleToAssign } from "./roles.js";
export {
  createOktaUsersApi,
  type CreateUserInput,
  type CreateUserOptions,
  type LifecycleOptions,
  type ListUsersOptions,
  type OktaUsersApi,
} from "./users.js";
export type {
  CallOptions,
  OktaApp,
  OktaAppGroup,
  OktaAppUser,
  OktaBinding,
  OktaBindingMember,
  OktaCustomRole,
  OktaGroup,
  OktaGroupStats,
  OktaOrg,
  OktaResourceSet,
  OktaResourceSetResource,
  OktaRoleAssignee,
  OktaRoleAssignment,
  OktaUser,
  OktaUserProfile,
  Page,
  PageOptions,
} from "./types.js";
