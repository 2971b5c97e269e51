import { create } from "@bufbuild/protobuf";
import { ConnectorMetadataSchema } from "../../gen/c1/connector/v2/connector_pb.js";
import type { Config } from "../config/index.js";
import { type ConnectorDefinition, createSyncerRegistry, derivePageTokenKey, type ResourceSyncer } from "../protocol/index.js";

/**
 * Builds the connector the server serves: the syncers for the configured org and the connector-wide
 * hooks (metadata, validation). The composition root for everything below the transport.
 */
export function createConnector(config: Config, syncers: readonly ResourceSyncer[] = []): ConnectorDefinition {
  const auth = config.okta.auth;
  const secretMaterial = auth.kind === "ssws" ? auth.token : `${auth.clientId}\n${auth.privateKeyPem}`;
  const registry = createSyncerRegistry(syncers);
  return {
    registry,
    pageTokenKey: derivePageTokenKey(config.okta.orgUrl, secretMaterial),
    provisioning: config.provisioning,
    async metadata() {
      return create(ConnectorMetadataSchema, {
        displayName: "Okta",
        description: "Syncs Okta users, groups, apps and admin roles; provisions group membership, app assignment and roles.",
      });
    },
    async validate() {},
  };
}
