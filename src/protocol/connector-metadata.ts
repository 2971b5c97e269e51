import { create, type JsonObject } from "@bufbuild/protobuf";
import { ExternalLinkSchema } from "../../gen/c1/connector/v2/annotation_external_link_pb.js";
import { Capability, type ConnectorMetadata, ConnectorMetadataSchema, ResourceTypeCapabilitySchema } from "../../gen/c1/connector/v2/connector_pb.js";
import { pack } from "./annotations.js";
import { coverageOf, resourceTypesWithCoverage } from "./coverage.js";
import type { ResourceSyncer, SyncCallContext } from "./resource-syncer.js";
import type { SyncerRegistry } from "./syncer-registry.js";

export interface MetadataSource {
  readonly registry: SyncerRegistry;
  readonly displayName: string;
  readonly description: string;
  /** The upstream's address, linked from the metadata when it is https (baton's ExternalLink must be). */
  readonly externalUrl: string;
  /** --provisioning: without it no write capability is advertised. */
  readonly provisioning: boolean;
  /**
   * Whether the write a type's provisioning needs is known to be missing: such a type advertises no
   * provisioning, so the engine does not plan on it. Asked only with provisioning on.
   */
  isWriteWithheld(resourceTypeId: string, ctx: SyncCallContext): Promise<boolean>;
  /** Whether ListEvents serves a feed: the connector then advertises EVENT_FEED_V2. */
  readonly eventFeed?: boolean;
  /** More fields for the metadata's free-form profile (coverage is always there). */
  profile?(ctx: SyncCallContext): Promise<JsonObject>;
}

/** What a syncer can provision, as GetMetadata capabilities: PROVISION, ACCOUNT_PROVISIONING, RESOURCE_DELETE. */
function provisioningOf(syncer: ResourceSyncer): Capability[] {
  const caps: Capability[] = [];
  if (syncer.grant && syncer.revoke) caps.push(Capability.PROVISION);
  if (syncer.createAccount) caps.push(Capability.ACCOUNT_PROVISIONING);
  if (syncer.delete) caps.push(Capability.RESOURCE_DELETE);
  return caps;
}

/**
 * GetMetadata, derived from the registry. Each type advertises SYNC (and TARGETED_SYNC where its
 * syncer gets by id) unless the credential cannot read it, plus what it provisions unless its write is
 * withheld; the connector advertises the union, ACTIONS where a syncer offers any, and the account
 * form of the syncer that creates accounts. A write that is "unknown" is advertised: a Grant will be
 * attempted and Okta decides.
 */
export async function connectorMetadataOf(source: MetadataSource, ctx: SyncCallContext): Promise<ConnectorMetadata> {
  const { registry } = source;
  const types = await resourceTypesWithCoverage(registry, ctx);
  const coverage = await coverageOf(registry, ctx);
  const byType = new Map<string, Capability[]>();
  const connector = new Set<Capability>();
  let accountSyncer: ResourceSyncer | undefined;
  if (source.provisioning) {
    for (const syncer of registry.syncers) {
      const caps = provisioningOf(syncer);
      const offers = caps.length > 0 || (syncer.actions ?? []).length > 0;
      if (offers && (await source.isWriteWithheld(syncer.resourceType.id, ctx))) continue;
      for (const cap of caps) connector.add(cap);
      if ((syncer.actions ?? []).length > 0) connector.add(Capability.ACTIONS);
      if (syncer.createAccount && accountSyncer === undefined) accountSyncer = syncer;
      byType.set(syncer.resourceType.id, caps);
    }
  }
  const resourceTypeCapabilities = types.map((type, i) => {
    // A type the credential cannot read advertises nothing, so the engine knows not to rely on it.
    const readable = coverage[i]!.gaps.every((g) => g.reason !== "missing-permission");
    const caps = readable ? [Capability.SYNC, ...(registry.syncers[i]!.get ? [Capability.TARGETED_SYNC] : []), ...(byType.get(type.id) ?? [])] : [];
    return create(ResourceTypeCapabilitySchema, { resourceType: type, capabilities: caps });
  });
  const form = connector.has(Capability.ACCOUNT_PROVISIONING) ? accountSyncer?.accountForm?.() : undefined;
  return create(ConnectorMetadataSchema, {
    displayName: source.displayName,
    description: source.description,
    annotations: source.externalUrl.startsWith("https://") ? [pack(ExternalLinkSchema, { url: source.externalUrl })] : [],
    capabilities: {
      resourceTypeCapabilities: resourceTypeCapabilities.sort((a, b) => a.resourceType!.id.localeCompare(b.resourceType!.id)),
      connectorCapabilities: [Capability.SYNC, Capability.TARGETED_SYNC, ...(source.eventFeed ? [Capability.EVENT_FEED_V2] : []), ...[...connector].sort((a, b) => a - b)],
      ...(form ? { credentialDetails: form.credentialDetails } : {}),
    },
    ...(form ? { accountCreationSchema: form.schema } : {}),
    profile: {
      coverage: coverage.flatMap((c) => c.gaps.map((g) => ({ resource_type: c.resourceTypeId, ...g }))),
      ...(source.profile ? await source.profile(ctx) : {}),
    },
  });
}
