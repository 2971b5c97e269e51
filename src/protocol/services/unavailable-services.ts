import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { AssetService } from "../../../gen/c1/connector/v2/asset_pb.js";
import { CredentialManagerService } from "../../../gen/c1/connector/v2/resource_pb.js";
import { truncateUtf8 } from "../limits.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { provisioningOff } from "./provisioning-call.js";

/**
 * Services baton-sdk always registers that this connector does not implement. Provisioning calls say
 * how to enable provisioning rather than a bare UNIMPLEMENTED, because an engine operator reading the
 * task failure needs the fix, not the protocol detail.
 */
export function createUnavailableServices(def: ConnectorDefinition) {
  const refuse = (what: string) => () => {
    if (!def.provisioning) throw provisioningOff();
    throw new ConnectError(`${what} is not supported by this connector version`, Code.Unimplemented);
  };

  const credentialManager: ServiceImpl<typeof CredentialManagerService> = {
    rotateCredential: refuse("RotateCredential"),
    issueCredential: refuse("IssueCredential"),
  };


  // No resource carries an AssetRef, so no asset can be asked for.
  const assets: ServiceImpl<typeof AssetService> = {
    // eslint-disable-next-line require-yield
    async *getAsset(req) {
      // Echo at most 256 bytes: a 100 kB id in the grpc-message trailer breaks the whole HTTP/2 connection.
      throw new ConnectError(`asset.id: unknown asset "${truncateUtf8(req.asset?.id ?? "", 256)}"`, Code.NotFound);
    },
  };

  return { credentialManager, assets };
}
