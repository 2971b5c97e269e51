import type { ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";
import type { CoverageGap, ResourceSyncer } from "./resource-syncer.js";

/**
 * What a resource type needs from the credential, by the names of the credential's capabilities
 * (the Okta layer's `listUsers`, `readRoles`, `writeGroups`, …). `read` is what listing it takes;
 * `write` what its provisioning takes, required when its syncer provisions anything.
 */
export interface CredentialNeeds<Need extends string = string> {
  readonly read: Need;
  readonly write?: Need | undefined;
}

/**
 * One resource type, whole: everything the connector derives per type (ListResourceTypes, the sync
 * order, coverage, provisioning access, GetMetadata) comes from a list of these, so adding a type is
 * adding a folder that exports one. `Context` is what its syncer is built from (the Okta calls and
 * shared indexes), `Options` the sync flags.
 */
export interface ResourceTypeDescriptor<Context, Options, Need extends string = string> {
  readonly resourceType: ResourceType;
  readonly needs: CredentialNeeds<Need>;
  /**
   * The types whose resources this type's entitlements and grants refer to (a grant's principal, an
   * entitlement's grantable types). Sync sends them first, so an engine never meets an unknown id.
   */
  readonly dependsOn: readonly string[];
  /** Whether the flags include this type; included when absent. */
  isEnabled?(options: Options): boolean;
  /** What the flags leave out of this type, so the coverage report says so rather than going quiet. */
  configurationGaps?(options: Options): readonly CoverageGap[];
  /** Its syncer (list, entitlements, grants, get) and its provisioner, if any, as one object. */
  createSyncer(context: Context): ResourceSyncer;
}
