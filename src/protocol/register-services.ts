import type { DescFile } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ActionService, file_c1_connector_v2_action } from "../../gen/c1/connector/v2/action_pb.js";
import { AssetService, file_c1_connector_v2_asset } from "../../gen/c1/connector/v2/asset_pb.js";
import { ConnectorService, file_c1_connector_v2_connector } from "../../gen/c1/connector/v2/connector_pb.js";
import { EntitlementsService, file_c1_connector_v2_entitlement } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { EventService, file_c1_connector_v2_event_feed } from "../../gen/c1/connector/v2/event_feed_pb.js";
import { GrantManagerService, GrantsService, file_c1_connector_v2_grant } from "../../gen/c1/connector/v2/grant_pb.js";
import {
  AccountManagerService,
  CredentialManagerService,
  ResourceDeleterService,
  ResourceGetterService,
  ResourceManagerService,
  ResourcesService,
  ResourceTypesService,
  file_c1_connector_v2_resource,
} from "../../gen/c1/connector/v2/resource_pb.js";
import { file_c1_connector_v2_ticket } from "../../gen/c1/connector/v2/ticket_pb.js";
import { ConnectorStreamService, file_oktaconnector_v1_stream } from "../../gen/oktaconnector/v1/stream_pb.js";
import { createConnectorService } from "./services/connector-service.js";
import type { ConnectorDefinition } from "./services/connector-definition.js";
import { createListingServices } from "./services/listing-services.js";
import { createStreamService } from "./services/stream-service.js";
import { createUnavailableServices } from "./services/unavailable-services.js";
import { TicketsService } from "../../gen/c1/connector/v2/ticket_pb.js";

/**
 * The .proto files of every service registered below, for server reflection. The annotation files
 * are reached through imports or listed so that grpcurl can decode every Any an RPC returns.
 */
export const connectorProtoFiles: readonly DescFile[] = [
  file_c1_connector_v2_connector,
  file_c1_connector_v2_resource,
  file_c1_connector_v2_entitlement,
  file_c1_connector_v2_grant,
  file_c1_connector_v2_event_feed,
  file_c1_connector_v2_action,
  file_c1_connector_v2_asset,
  file_c1_connector_v2_ticket,
  file_oktaconnector_v1_stream,
];

/**
 * Registers the c1.connector.v2 services baton-sdk's server registers (all fifteen of its
 * ConnectorServer; SchemaService is deliberately absent, as upstream does not serve it) and our
 * streaming extension.
 */
export function registerConnectorServices(router: ConnectRouter, def: ConnectorDefinition): void {
  const listing = createListingServices(def);
  const unavailable = createUnavailableServices(def);
  router.service(ConnectorService, createConnectorService(def));
  router.service(ResourceTypesService, listing.resourceTypes);
  router.service(ResourcesService, listing.resources);
  router.service(ResourceGetterService, listing.getter);
  router.service(EntitlementsService, listing.entitlements);
  router.service(GrantsService, listing.grants);
  router.service(GrantManagerService, unavailable.grantManager);
  router.service(ResourceManagerService, unavailable.resourceManager);
  router.service(ResourceDeleterService, unavailable.resourceDeleter);
  router.service(AccountManagerService, unavailable.accountManager);
  router.service(CredentialManagerService, unavailable.credentialManager);
  router.service(EventService, unavailable.events);
  router.service(ActionService, unavailable.actions);
  router.service(AssetService, unavailable.assets);
  // Okta has no tickets; every TicketsService method answers UNIMPLEMENTED.
  router.service(TicketsService, {});
  router.service(ConnectorStreamService, createStreamService(def));
}
