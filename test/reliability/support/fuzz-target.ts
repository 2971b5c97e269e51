import { createClient, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { ActionService } from "../../../gen/c1/connector/v2/action_pb.js";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../../gen/grpc/health/v1/health_pb.js";
import { createConnectorTransport } from "../../../src/engine/connector-client.js";
import { type FakeOkta, type GroundTruth, startFakeOkta } from "../../fake-okta/index.js";
import { buildCliIfStale } from "../../support/serve-process.js";
import { type RunningConnector, startConnector } from "../../support/sync-helpers.js";
import { type FuzzPools, tamper } from "./fuzz-arbitraries.js";
import { registeredServices } from "./fuzz-methods.js";

/** Page tokens and cursors the server issued, one per kind of listing, for replaying elsewhere. */
export interface IssuedTokens {
  /** ListResources of users, page 1. */
  readonly users: string;
  /** ListGrants of an app, page 1 (its groups phase). */
  readonly appGrants: string;
  /** StreamResources of users, batch 1. */
  readonly stream: string;
  /** Sync, the first batch's resume_cursor. */
  readonly sync: string;
}

/** The simulated org and the real connector process the fuzz suite attacks, with what it learnt from them. */
export interface FuzzTarget {
  readonly fake: FakeOkta;
  readonly truth: GroundTruth;
  readonly connector: RunningConnector;
  readonly transport: Transport;
  /** The services the server registers, from reflection. */
  readonly services: readonly DescService[];
  readonly pools: FuzzPools;
  /** The first page ListResources returns, per resource type. */
  readonly sample: ReadonlyMap<string, readonly Resource[]>;
  readonly tokens: IssuedTokens;
  close(): Promise<void>;
}

/**
 * Starts the simulated org (seed 41; 450 users, since Okta's user page is 200 and the user listing
 * must issue page tokens to tamper with) and `okta-connector serve --provisioning --sync-custom-roles`
 * with the super_admin token, waits until it is SERVING, and collects real ids and tokens to fuzz with.
 */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  await buildCliIfStale();
  const fake = await startFakeOkta({ seed: 41, users: 450 });
  let connector: RunningConnector | undefined;
  try {
    const truth = await fake.groundTruth();
    connector = await startConnector(fake, { token: fake.tokens.super_admin, flags: { syncCustomRoles: true }, args: ["--provisioning"] });
    const transport = createConnectorTransport({ address: connector.process.address });
    const services = await registeredServices(connector.process.address);
    await waitServing(transport);
    const { sample, pools, tokens } = await collectPools(connector, transport);
    const running = connector;
    const close = async (): Promise<void> => {
      // Draining is not under test here; a server that has not drained within 20 s is killed so that
      // teardown stays inside the hook timeout on a busy machine.
      const stopped = running.stop();
      const timer = setTimeout(() => void running.process.stop("SIGKILL"), 20_000);
      await stopped;
      clearTimeout(timer);
      await fake.close();
    };
    return { fake, truth, connector, transport, services, pools, sample, tokens, close };
  } catch (error) {
    await connector?.stop();
    await fake.close();
    throw error;
  }
}

async function waitServing(transport: Transport): Promise<void> {
  const health = createClient(Health, transport);
  for (let i = 0; i < 200; i++) {
    if ((await health.check({ service: "" })).status === HealthCheckResponse_ServingStatus.SERVING) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the connector never turned SERVING");
}

async function collectPools(connector: RunningConnector, transport: Transport) {
  const { clients } = connector;
  const types = (await clients.resourceTypes.listResourceTypes({})).list.map((t) => t.id);
  const sample = new Map<string, Resource[]>();
  const entitlementIds = new Set<string>();
  let users = "";
  for (const type of types) {
    const page = await clients.resources.listResources({ resourceTypeId: type });
    sample.set(type, page.list);
    if (type === "user") users = page.nextPageToken;
    if (page.list[0]) for (const e of (await clients.entitlements.listEntitlements({ resource: page.list[0] })).list) entitlementIds.add(e.id);
  }
  // An app's grants come in two phases (its groups, then its users), so its first page has a token.
  let appGrants = "";
  for (const app of sample.get("app") ?? []) {
    appGrants = (await clients.grants.listGrants({ resource: app })).nextPageToken;
    if (appGrants !== "") break;
  }
  let stream = "";
  for await (const batch of clients.stream.streamResources({ resourceTypeId: "user", batchSize: 2 })) {
    stream = batch.cursor;
    break;
  }
  let sync = "";
  for await (const message of clients.stream.sync({ batchSize: 2 })) {
    if (message.event.case === "batch" && message.event.value.resumeCursor !== "") {
      sync = message.event.value.resumeCursor;
      break;
    }
  }
  const tokens: IssuedTokens = { users, appGrants, stream, sync };
  const issued = Object.values(tokens);
  if (issued.includes("")) throw new Error(`a listing issued no token to fuzz with: ${JSON.stringify(tokens, (_k, v: unknown) => (typeof v === "string" ? v.length : v))}`);

  const actions = createClient(ActionService, transport);
  const actionNames = new Set<string>();
  for (const type of types) for (const s of (await actions.listActionSchemas({ resourceTypeId: type })).schemas) actionNames.add(s.name);
  const pools: FuzzPools = {
    resourceTypes: types,
    resourceIds: [...new Set([...sample.values()].flat().map((r) => r.id!.resource))],
    typedIds: [...sample].flatMap(([resourceType, list]) => list.slice(0, 5).map((r) => ({ resourceType, resource: r.id!.resource }))),
    entitlementIds: [...entitlementIds],
    tokens: [...issued, ...issued.flatMap((t) => [tamper(t, 3), tamper(t, t.length - 2), t.slice(0, -4)])],
    actionNames: [...actionNames],
  };
  return { sample, pools, tokens };
}
