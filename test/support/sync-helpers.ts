import { anyIs, anyUnpack } from "@bufbuild/protobuf/wkt";
import { GrantExpandableSchema, GrantImmutableSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import type { Entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import type { Resource, ResourceType } from "../../gen/c1/connector/v2/resource_pb.js";
import { type ConnectorClients, createConnectorClients } from "../../src/engine/connector-client.js";
import { type PagedSyncProgress, runPagedSync } from "../../src/engine/paged-sync.js";
import type { FakeOkta, GroundTruth } from "../fake-okta/index.js";
import { type ServeProcess, startServeProcess } from "./serve-process.js";

/**
 * Running `okta-connector serve` against the simulated org and walking a whole sync through it with
 * the reference paged client (src/engine/paged-sync.ts), keeping what the sync tests compare with
 * the ground truth. Grants are kept in a compact form: a 10,000-user org has over 100,000.
 */

/** The sync flags of `serve`, named as the connector's options are. */
export interface SyncFlags {
  readonly syncCustomRoles?: boolean;
  readonly syncDevices?: boolean;
  readonly syncMfaStatus?: boolean;
  readonly syncSecrets?: boolean;
  readonly syncDeprovisionedUsers?: boolean;
  readonly skipSecondaryEmails?: boolean;
  readonly filterEmailDomains?: readonly string[];
  readonly skipAppGroups?: boolean;
  /** `--skip-inactive-apps` (the same as `--sync-inactive-apps=false`). */
  readonly skipInactiveApps?: boolean;
  /** `--sync-inactive-apps=false`, baton-okta's spelling. */
  readonly syncInactiveAppsFalse?: boolean;
}

/** The command-line flags for `flags`. */
export function serveFlagArgs(flags: SyncFlags): string[] {
  const args: string[] = [];
  if (flags.syncCustomRoles) args.push("--sync-custom-roles");
  if (flags.syncDevices) args.push("--sync-devices");
  if (flags.syncMfaStatus) args.push("--sync-mfa-status");
  if (flags.syncSecrets) args.push("--sync-secrets");
  if (flags.syncDeprovisionedUsers) args.push("--sync-deprovisioned-users");
  if (flags.skipSecondaryEmails) args.push("--skip-secondary-emails");
  if (flags.filterEmailDomains && flags.filterEmailDomains.length > 0) args.push("--filter-email-domains", flags.filterEmailDomains.join(","));
  if (flags.skipAppGroups) args.push("--skip-app-groups");
  if (flags.skipInactiveApps) args.push("--skip-inactive-apps");
  if (flags.syncInactiveAppsFalse) args.push("--sync-inactive-apps=false");
  return args;
}

export interface RunningConnector {
  readonly process: ServeProcess;
  readonly clients: ConnectorClients;
  stop(): Promise<void>;
}

/**
 * Starts the connector on the simulated org. The Okta credential goes in through the environment
 * (`BATON_API_TOKEN`), never argv; `args` replaces it for OAuth credentials.
 */
export async function startConnector(
  fake: FakeOkta,
  options: { token?: string; flags?: SyncFlags; args?: readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<RunningConnector> {
  const env = { ...(options.token === undefined ? {} : { BATON_API_TOKEN: options.token }), ...options.env };
  const serve = await startServeProcess(["--domain", fake.url, ...serveFlagArgs(options.flags ?? {}), ...(options.args ?? [])], {
    withOktaArgs: false,
    env,
  });
  return {
    process: serve,
    clients: createConnectorClients({ address: serve.address }),
    stop: async () => {
      await serve.stop();
    },
  };
}

/** A grant as the comparison needs it. */
export interface CollectedGrant {
  readonly id: string;
  readonly entitlementId: string;
  /** `type/id` of the resource the entitlement belongs to. */
  readonly entitlementResource: string;
  readonly principalType: string;
  readonly principalId: string;
  /** GrantExpandable's entitlement ids, when the grant carries one. */
  readonly expandsTo: readonly string[] | undefined;
  /** Grant.sources as entitlement id → is_direct, when the grant carries any. */
  readonly sources?: Readonly<Record<string, boolean>> | undefined;
  readonly immutable?: boolean;
}

export interface CollectedSync {
  readonly resourceTypes: readonly ResourceType[];
  readonly resources: readonly Resource[];
  readonly entitlements: readonly Entitlement[];
  readonly grants: readonly CollectedGrant[];
  readonly progress: PagedSyncProgress;
}

/** Walks a whole sync with the reference paged client and keeps everything it returns. */
export async function collectSync(clients: ConnectorClients): Promise<CollectedSync> {
  const resourceTypes: ResourceType[] = [];
  const resources: Resource[] = [];
  const entitlements: Entitlement[] = [];
  const grants: CollectedGrant[] = [];
  const progress = await runPagedSync(clients, {
    resourceTypes: (items) => void resourceTypes.push(...items),
    resources: (items) => void resources.push(...items),
    entitlements: (items) => void entitlements.push(...items),
    grants: (items) => {
      for (const grant of items) {
        const expandable = grant.annotations.map((a) => anyUnpack(a, GrantExpandableSchema)).find((x) => x !== undefined);
        const owner = grant.entitlement?.resource?.id;
        grants.push({
          id: grant.id,
          entitlementId: grant.entitlement?.id ?? "",
          entitlementResource: `${owner?.resourceType ?? ""}/${owner?.resource ?? ""}`,
          principalType: grant.principal?.id?.resourceType ?? "",
          principalId: grant.principal?.id?.resource ?? "",
          expandsTo: expandable ? [...expandable.entitlementIds] : undefined,
          sources: grant.sources && Object.keys(grant.sources.sources).length > 0 ? Object.fromEntries(Object.entries(grant.sources.sources).map(([id, s]) => [id, s.isDirect])) : undefined,
          immutable: grant.annotations.some((a) => anyIs(a, GrantImmutableSchema)),
        });
      }
    },
  });
  return { resourceTypes, resources, entitlements, grants, progress };
}

/** Starts the connector, syncs everything, and stops it. */
export async function syncOnce(fake: FakeOkta, options: Parameters<typeof startConnector>[1] = {}): Promise<CollectedSync> {
  const connector = await startConnector(fake, options);
  try {
    return await collectSync(connector.clients);
  } finally {
    await connector.stop();
  }
}

/**
 * The ground truth read over HTTP from `GET /__sim/ground-truth`, the simulator's SDK-independent
 * endpoint, rather than from the in-process org.
 */
export async function fetchGroundTruth(fake: FakeOkta): Promise<GroundTruth> {
  const response = await fetch(`${fake.url}/__sim/ground-truth`);
  if (!response.ok) throw new Error(`GET /__sim/ground-truth answered ${response.status}`);
  return (await response.json()) as GroundTruth;
}
