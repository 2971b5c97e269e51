import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ActionService } from "../../../gen/c1/connector/v2/action_pb.js";
import { AssetService } from "../../../gen/c1/connector/v2/asset_pb.js";
import { EventService } from "../../../gen/c1/connector/v2/event_feed_pb.js";
import { GrantManagerService } from "../../../gen/c1/connector/v2/grant_pb.js";
import {
  AccountManagerService,
  CredentialManagerService,
  ResourceDeleterService,
  ResourceManagerService,
} from "../../../gen/c1/connector/v2/resource_pb.js";
import type { ConnectorDefinition } from "./connector-definition.js";

/**
 * Services baton-sdk always registers, answered here until (or unless) the connector implements
 * them. Provisioning calls say how to enable provisioning rather than a bare UNIMPLEMENTED, because an
 * engine operator reading the task failure needs the fix, not the protocol detail.
 */
export function createUnavailableServices(def: ConnectorDefinition) {
  const provisioningOff = () =>
    new ConnectError(
      "provisioning is disabled; start okta-connector serve with --provisioning (or BATON_PROVISIONING=true) to allow it",
      Code.FailedPrecondition,
    );
  const refuse = (what: string) => () => {
    if (!def.provisioning) throw provisioningOff();
    throw new ConnectError(`${what} is not supported by this connector version`, Code.Unimplemented);
  };

  const grantManager: ServiceImpl<typeof GrantManagerService> = { grant: refuse("Grant"), revoke: refuse("Revoke") };
  const accountManager: ServiceImpl<typeof AccountManagerService> = { createAccount: refuse("CreateAccount") };
  const resourceDeleter: ServiceImpl<typeof ResourceDeleterService> = { deleteResourceV2: refuse("DeleteResourceV2") };
  const resourceManager: ServiceImpl<typeof ResourceManagerService> = {
    createResource: refuse("CreateResource"),
    deleteResource: refuse("DeleteResource"),
  };
  const credentialManager: ServiceImpl<typeof CredentialManagerService> = {
    rotateCredential: refuse("RotateCredential"),
    issueCredential: refuse("IssueCredential"),
  };

  // Okta events are not offered as a feed: the engine runs full syncs.
  const events: ServiceImpl<typeof EventService> = {
    listEventFeeds() {
      return { list: [] };
    },
    listEvents() {
      throw new ConnectError("this connector offers no event feeds (ListEventFeeds is empty)", Code.Unimplemented);
    },
  };

  const actions: ServiceImpl<typeof ActionService> = {
    listActionSchemas() {
      return { schemas: [] };
    },
    getActionSchema(req) {
      throw new ConnectError(`name: unknown action "${req.name}"`, Code.NotFound);
    },
    invokeAction(req) {
      if (!def.provisioning) throw provisioningOff();
      throw new ConnectError(`name: unknown action "${req.name}"`, Code.NotFound);
    },
    getActionStatus(req) {
      throw new ConnectError(`id: unknown action invocation "${req.id}"`, Code.NotFound);
    },
  };

  // No resource carries an AssetRef, so no asset can be asked for.
  const assets: ServiceImpl<typeof AssetService> = {
    // eslint-disable-next-line require-yield
    async *getAsset(req) {
      throw new ConnectError(`asset.id: unknown asset "${req.asset?.id ?? ""}"`, Code.NotFound);
    },
  };

  return { grantManager, accountManager, resourceDeleter, resourceManager, credentialManager, events, actions, assets };
}
