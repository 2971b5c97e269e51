import { connect } from "node:net";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ConnectorService } from "../../gen/c1/connector/v2/connector_pb.js";
import { EntitlementsService } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { GrantManagerService, GrantsService } from "../../gen/c1/connector/v2/grant_pb.js";
import { ResourcesService, ResourceTypesService } from "../../gen/c1/connector/v2/resource_pb.js";
import { ConnectorStreamService } from "../../gen/oktaconnector/v1/stream_pb.js";
import { createRawSync, type RawSync } from "./raw-sync-service.js";

/** The services the reference engine drives, over one gRPC (HTTP/2) transport. */
export interface ConnectorClients {
  readonly connector: Client<typeof ConnectorService>;
  readonly resourceTypes: Client<typeof ResourceTypesService>;
  readonly resources: Client<typeof ResourcesService>;
  readonly entitlements: Client<typeof EntitlementsService>;
  readonly grants: Client<typeof GrantsService>;
  readonly grantManager: Client<typeof GrantManagerService>;
  readonly stream: Client<typeof ConnectorStreamService>;
  /** Sync with each item as the bytes the connector sent (raw-sync-service.ts): what the snapshot stores. */
  readonly rawSync: RawSync;
}

export interface ConnectorAddressOptions {
  /** `host:port`, `http://host:port`, `https://host:port` or `unix:///path`. */
  readonly address: string;
  readonly bearerToken?: string;
}

export function createConnectorClients(options: ConnectorAddressOptions): ConnectorClients {
  const transport = createConnectorTransport(options);
  return {
    connector: createClient(ConnectorService, transport),
    resourceTypes: createClient(ResourceTypesService, transport),
    resources: createClient(ResourcesService, transport),
    entitlements: createClient(EntitlementsService, transport),
    grants: createClient(GrantsService, transport),
    grantManager: createClient(GrantManagerService, transport),
    stream: createClient(ConnectorStreamService, transport),
    rawSync: createRawSync(transport),
  };
}

export function createConnectorTransport(options: ConnectorAddressOptions): Transport {
  const interceptors: Interceptor[] = [];
  const token = options.bearerToken;
  if (token !== undefined) {
    interceptors.push((next) => (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    });
  }
  // No compression, as baton-sdk's Go client asks for none: on the local links an engine uses,
  // gzipping every 1 MiB batch cost the connector about an eighth of its CPU (docs/benchmarks.md).
  const acceptCompression: [] = [];
  const address = options.address;
  if (address.startsWith("unix://")) {
    const socketPath = address.slice("unix://".length);
    return createGrpcTransport({ baseUrl: "http://localhost", nodeOptions: { createConnection: () => connect(socketPath) }, interceptors, acceptCompression });
  }
  const baseUrl = /^https?:\/\//.test(address) ? address : `http://${address}`;
  return createGrpcTransport({ baseUrl, interceptors, acceptCompression });
}
