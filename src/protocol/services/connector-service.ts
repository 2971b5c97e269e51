import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { ConnectorService } from "../../../gen/c1/connector/v2/connector_pb.js";
import { connectErrorFrom } from "../errors.js";
import { BATON_SDK_VERSION, type ConnectorDefinition } from "./connector-definition.js";

export function createConnectorService(def: ConnectorDefinition): ServiceImpl<typeof ConnectorService> {
  return {
    async getMetadata(_req, ctx) {
      try {
        return { metadata: await def.metadata({ signal: ctx.signal }) };
      } catch (error) {
        throw connectErrorFrom(error);
      }
    },
    async validate(_req, ctx) {
      try {
        await def.validate({ signal: ctx.signal });
      } catch (error) {
        throw connectErrorFrom(error);
      }
      return { sdkVersion: BATON_SDK_VERSION };
    },
    // What a paged sync leaves behind is bounded and goes on its own: pages fetched ahead expire
    // (page-prefetch.ts), and the order of a sync's resources is kept for the 4 latest syncs only
    // (resource-walk.ts). So there is nothing Cleanup must do.
    cleanup() {
      return {};
    },
  };
}
