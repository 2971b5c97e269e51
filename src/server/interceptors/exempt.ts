/**
 * Services reachable without the bearer token. The kubelet's gRPC probe cannot send credentials, and
 * reflection only describes the public contract, so neither reveals org data.
 */
export function isPublicService(typeName: string): boolean {
  return typeName === "grpc.health.v1.Health" || typeName.startsWith("grpc.reflection.");
}
