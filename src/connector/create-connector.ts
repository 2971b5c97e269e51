import { Code, ConnectError } from "@connectrpc/connect";
import type { Config } from "../config/index.js";
import { createOktaApi, createOktaClient, describeMissingCapability, isOktaError, type OktaClient, type OktaLogger, type OktaRequestObserver } from "../okta/index.js";
import { CAPABILITY_REQUIREMENTS, type OktaCapability } from "../okta/capability-report.js";
import { ConnectorError, type ConnectorDefinition, derivePageTokenKey } from "../protocol/index.js";
import { createPagePrefetcher } from "../protocol/page-prefetch.js";
import { connectorMetadataOf } from "../protocol/connector-metadata.js";
import { createTypeRegistry } from "../protocol/type-registry.js";
import { fingerprintOf } from "../protocol/services/sync-cursor.js";
import { createSystemLogFeed } from "../types/shared/system-log-feed.js";
import { createTypeContext } from "../types/shared/type-context.js";
import { OKTA_TYPE_DESCRIPTORS } from "./okta-type-descriptors.js";
import { createCapabilityState, type CapabilityState } from "./capability-state.js";
import { createOktaCallTallies } from "./okta-call-tallies.js";
import { createOktaRequestTrace } from "./okta-request-trace.js";
import { createProvisioningAccess, createWriteWithheld, writeAccessProfile } from "./provisioning-access.js";
import { createWriteCapabilityLearner } from "./write-capability-learner.js";
import { createUserGroupsLister } from "./user-groups.js";

export interface OktaConnectorOptions {
  /** See every Okta request attempt and pacing wait (serve's metrics and tracing); none by default. */
  readonly oktaObservers?: readonly OktaRequestObserver[];
}

export interface OktaConnector {
  readonly definition: ConnectorDefinition;
  readonly okta: OktaClient;
  readonly capabilities: CapabilityState;
}

/**
 * The composition root below the transport: builds the Okta client from the configuration, the
 * syncers over it, and the connector-wide hooks (metadata, Validate) the c1 services need.
 */
export function createOktaConnector(config: Config, logger?: OktaLogger, extras: OktaConnectorOptions = {}): OktaConnector {
  const auth = config.okta.auth;
  const tallies = createOktaCallTallies();
  const okta = createOktaClient({
    orgUrl: config.okta.orgUrl,
    auth: auth.kind === "ssws" ? { kind: "ssws", token: auth.token } : { ...auth, scopes: [...auth.scopes] },
    ...(logger ? { logger } : {}),
    observers: [...(extras.oktaObservers ?? []), tallies.observer],
  });
  // The probe reads through the bare client; syncers write through the learner, so a write's answer
  // settles what no read could (GET only unless provisioning: docs/security.md).
  const capabilities = createCapabilityState(okta);
  // Every syncer call goes through the traced client, so a provisioning call's audit line lists its Okta request ids.
  const trace = createOktaRequestTrace(createWriteCapabilityLearner(okta, capabilities));
  const api = createOktaApi(trace.client);
  const options = config.sync;
  const typeRegistry = createTypeRegistry({
    descriptors: OKTA_TYPE_DESCRIPTORS,
    options,
    context: createTypeContext({ api, client: trace.client, userGroups: createUserGroupsLister(trace.client), options, rolesUnreadable: capabilities.rolesUnreadable }),
    knownNeeds: Object.keys(CAPABILITY_REQUIREMENTS) as OktaCapability[],
  });
  const registry = typeRegistry.syncers;
  const provisioningAccess = createProvisioningAccess(capabilities, auth.kind, typeRegistry.writeNeedOf);
  const secretMaterial = auth.kind === "ssws" ? auth.token : `${auth.clientId}\n${auth.privateKeyPem}`;

  const definition: ConnectorDefinition = {
    registry,
    pageTokenKey: derivePageTokenKey(config.okta.orgUrl, secretMaterial),
    provisioning: config.provisioning,
    syncFingerprint: fingerprintOf({ org: config.okta.orgUrl, sync: options, types: registry.syncers.map((s) => s.resourceType.id) }),
    oktaCallStats: () => okta.stats(),
    countOktaCalls: (tally, run) => tallies.count(tally, run),
    oktaHeadroom: () => okta.headroom?.() ?? true,
    configurationGaps: typeRegistry.configurationGaps,
    provisioningAccess,
    traceUpstream: (run) => trace.run(run),
    // The System Log events of the enabled types only: a type not synced has no ids to announce.
    eventFeed: createSystemLogFeed(
      trace.client,
      OKTA_TYPE_DESCRIPTORS.filter((d) => d.isEnabled?.(options) ?? true).flatMap((d) => (d.events ? [d.events] : [])),
    ),
    ...(config.server.pagedPrefetch === false ? {} : { pagePrefetch: createPagePrefetcher() }),

    async validate(ctx) {
      let caps;
      try {
        caps = await capabilities.get(ctx, { fresh: true });
      } catch (error) {
        if (isOktaError(error) && error.kind === "unauthenticated") {
          throw new ConnectError(
            `Okta rejected the credential (${error.errorCode ?? error.status ?? "401"}); ${
              auth.kind === "ssws"
                ? "check --api-token (or --api-token-file): the token may be revoked, expired or from another org"
                : "check --okta-client-id, --okta-private-key-id and the private key, and that the app is granted its scopes"
            }`,
            Code.Unauthenticated,
          );
        }
        throw error;
      }
      if (caps.listUsers.status === "missing") {
        throw new ConnectorError("forbidden", `the credential cannot list Okta users: ${describeMissingCapability(caps.listUsers, auth.kind)}`);
      }
    },

    metadata: (ctx) =>
      connectorMetadataOf(
        {
          registry,
          displayName: "Okta",
          description: "Syncs Okta users, groups, apps and admin roles for access reviews; provisions group membership, app assignment and roles.",
          externalUrl: config.okta.orgUrl,
          provisioning: config.provisioning,
          eventFeed: true,
          isWriteWithheld: createWriteWithheld(capabilities, typeRegistry.writeNeedOf),
          // Which advertised writes are proven and which await their first attempt ("unknown").
          ...(config.provisioning ? { profile: async (ctx) => ({ write_access: await writeAccessProfile(capabilities, ctx) }) } : {}),
        },
        ctx,
      ),
  };
  return { definition, okta, capabilities };
}
