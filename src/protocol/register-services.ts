import type { ConnectRouter } from "@connectrpc/connect";
import { ActionService } from "../../gen/c1/connector/v2/action_pb.js";
import { AssetService } from "../../gen/c1/connector/v2/asset_pb.js";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { EntitlementsService } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { EventService } from "../../gen/c1/connector/v2/event_feed_pb.js";
import { GrantManagerService, GrantsService } from "../../gen/c1/connector/v2/grant_pb.js";
import {
  AccountManagerService,
  CredentialManagerService,
  ResourceDeleterService,
  ResourceGetterService,
  ResourceManagerService,
  ResourcesService,
  ResourceTypesService,
} from "../../gen/c1/connector/v2/resource_pb.js";
import { TicketsService } from "../../gen/c1/connector/v2/ticket_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { createAccountManagerService } from "./services/account-manager-service.js";
import { createActionService } from "./services/action-service.js";
import { createConnectorService } from "./services/connector-service.js";
import type { ConnectorDefinition } from "./services/connector-definition.js";
import { createEventService } from "./services/event-service.js";
import { createGrantManagerService } from "./services/grant-manager-service.js";
import { createListingServices } from "./services/listing-services.js";
import { createResourceDeleterServices } from "./services/resource-deleter-service.js";
import { createStreamService } from "./services/stream-service.js";
import { createUnavailableServices } from "./services/unavailable-services.js";

/**
 * Registers the c1.connector.v2 services baton-sdk's server registers (all fifteen of its
 * ConnectorServer; SchemaService is deliberately absent, as upstream does not serve it) and our
 * streaming extension.
 */
export function registerConnectorServices(router: ConnectRouter, def: ConnectorDefinition): void {
  const listing = createListingServices(def);
  const unavailable = createUnavailableServices(def);
  const deleters = createResourceDeleterServices(def);
  router.service(ConnectorService, createConnectorService(def));
  router.service(ResourceTypesService, listing.resourceTypes);
  router.service(ResourcesService, listing.resources);
  router.service(ResourceGetterService, listing.getter);
  router.service(EntitlementsService, listing.entitlements);
  router.service(GrantsService, listing.grants);
  router.service(GrantManagerService, createGrantManagerService(def));
  router.service(ResourceManagerService, deleters.resourceManager);
  router.service(ResourceDeleterService, deleters.resourceDeleter);
  router.service(AccountManagerService, createAccountManagerService(def));
  router.service(CredentialManagerService, unavailable.credentialManager);
  router.service(EventService, createEventService(def));
  router.service(ActionService, createActionService(def));
  router.service(AssetService, unavailable.assets);
  // Okta has no tickets; every TicketsService method answers UNIMPLEMENTED.
  router.service(TicketsService, {});
  router.service(ConnectorStreamService, createStreamService(def));
}
