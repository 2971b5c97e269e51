import { createRegistry, type DescMethod, type DescService, type Registry } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { file_grpc_health_v1_health } from "../../../gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection, ServerReflection } from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "../../../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { createConnectorTransport } from "../../../src/engine/connector-client.js";
import { connectorProtoFiles } from "../../../src/protocol/proto-files.js";

/**
 * The RPC surface the fuzz suite must cover, derived from the running server rather than typed by
 * hand: reflection's ListServices names every service the router registered, and the generated
 * descriptors give each one's methods. A new service or method therefore shows up here and fails the
 * coverage assertion until the suite fuzzes it.
 */

/** Every descriptor the server can serve: the wire contract, health and both reflection versions. */
export const fuzzRegistry: Registry = createRegistry(
  ...connectorProtoFiles,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
);

/** `package.Service/Method`, the key the coverage ledger uses. */
export function methodKey(method: DescMethod): string {
  return `${method.parent.typeName}/${method.name}`;
}

/** The services the server at `address` registers, as descriptors; throws on a name with no descriptor. */
export async function registeredServices(address: string): Promise<DescService[]> {
  const reflection = createClient(ServerReflection, createConnectorTransport({ address }));
  const names: string[] = [];
  async function* requests() {
    yield { host: "", messageRequest: { case: "listServices" as const, value: "*" } };
  }
  for await (const response of reflection.serverReflectionInfo(requests())) {
    if (response.messageResponse.case === "listServicesResponse") names.push(...response.messageResponse.value.service.map((s) => s.name));
  }
  return names.map((name) => {
    const service = fuzzRegistry.getService(name);
    if (!service) throw new Error(`the server registers ${name}, which has no descriptor in the fuzz registry`);
    return service;
  });
}

/** Counts fuzzed calls per method (and their codes) and names the methods that got none. */
export interface CoverageLedger {
  record(method: DescMethod, code: number): void;
  count(method: DescMethod): number;
  /** How often each gRPC code answered `method`'s fuzzed calls. */
  codes(method: DescMethod): ReadonlyMap<number, number>;
  /** Method keys of `services` with fewer than `min` recorded calls. */
  uncovered(services: readonly DescService[], min: number): string[];
}

export function createCoverageLedger(): CoverageLedger {
  const calls = new Map<string, number>();
  const codes = new Map<string, Map<number, number>>();
  return {
    record(method, code) {
      const key = methodKey(method);
      calls.set(key, (calls.get(key) ?? 0) + 1);
      const seen = codes.get(key) ?? new Map<number, number>();
      seen.set(code, (seen.get(code) ?? 0) + 1);
      codes.set(key, seen);
    },
    count: (method) => calls.get(methodKey(method)) ?? 0,
    codes: (method) => codes.get(methodKey(method)) ?? new Map(),
    uncovered: (services, min) =>
      services.flatMap((s) => s.methods).filter((m) => (calls.get(methodKey(m)) ?? 0) < min).map(methodKey),
  };
}
