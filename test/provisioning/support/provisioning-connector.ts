import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { ActionService } from "../../../gen/c1/connector/v2/action_pb.js";
import type { Entitlement } from "../../../gen/c1/connector/v2/entitlement_pb.js";
import type { Grant } from "../../../gen/c1/connector/v2/grant_pb.js";
import {
  AccountManagerService,
  type Resource,
  ResourceDeleterService,
  ResourceGetterService,
  ResourceManagerService,
} from "../../../gen/c1/connector/v2/resource_pb.js";
import { type ConnectorClients, createConnectorClients, createConnectorTransport } from "../../../src/engine/connector-client.js";
import type { AuditEntry } from "../../../src/protocol/audit.js";
import type { FakeOkta, RequestLogEntry } from "../../fake-okta/index.js";
import { type ServeProcess, startServeProcess } from "../../support/serve-process.js";

/**
 * The real `okta-connector serve --provisioning` process on the simulated org, with the clients a
 * provisioning test drives (connect-node, as the reference engine uses) and helpers that read the
 * connector the way an engine does: resources and entitlements as listed, grants page by page.
 */
export interface ProvisioningConnector {
  readonly process: ServeProcess;
  readonly clients: ConnectorClients;
  readonly accounts: Client<typeof AccountManagerService>;
  readonly deleter: Client<typeof ResourceDeleterService>;
  readonly manager: Client<typeof ResourceManagerService>;
  readonly actions: Client<typeof ActionService>;
  readonly getter: Client<typeof ResourceGetterService>;
  /** A resource exactly as ListResources returns it (paged until found). */
  resource(type: string, id: string): Promise<Resource>;
  /** The resource's entitlement with `slug`, as ListEntitlements returns it (its `resource` hydrated). */
  entitlement(type: string, id: string, slug: string): Promise<Entitlement>;
  /** Every grant of a resource, through ListGrants pages of `pageSize`. */
  grants(resource: Resource, pageSize?: number): Promise<Grant[]>;
  /** The audit lines written so far. */
  audit(): AuditEntry[];
  /**
   * The audit lines matching `match`, once there are at least `count`: pino writes asynchronously,
   * so a line can reach stdout a moment after the RPC's answer.
   */
  auditOf(match: (entry: AuditEntry) => boolean, count: number): Promise<AuditEntry[]>;
  stop(): Promise<void>;
}

export async function startProvisioningConnector(
  fake: FakeOkta,
  options: { token: string; args?: readonly string[]; provisioning?: boolean },
): Promise<ProvisioningConnector> {
  const args = ["--domain", fake.url, ...(options.provisioning === false ? [] : ["--provisioning"]), ...(options.args ?? [])];
  const serve = await startServeProcess(args, { withOktaArgs: false, env: { BATON_API_TOKEN: options.token } });
  const clients = createConnectorClients({ address: serve.address });
  const transport = createConnectorTransport({ address: serve.address });

  const resource = (type: string, id: string): Promise<Resource> => listedResource(clients, type, id);

  const audit = () => serve.logLines().filter((l) => l.msg === "provisioning").map((l) => l.audit as AuditEntry);
  return {
    process: serve,
    clients,
    accounts: createClient(AccountManagerService, transport),
    deleter: createClient(ResourceDeleterService, transport),
    manager: createClient(ResourceManagerService, transport),
    actions: createClient(ActionService, transport),
    getter: createClient(ResourceGetterService, transport),
    resource,
    entitlement: (type, id, slug) => listedEntitlement(clients, type, id, slug),
    async grants(of, pageSize = 7) {
      const all: Grant[] = [];
      let pageToken = "";
      do {
        const page = await clients.grants.listGrants({ resource: of, pageSize, pageToken });
        all.push(...page.list);
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return all;
    },
    audit,
    async auditOf(match, count) {
      for (let i = 0; i < 100 && audit().filter(match).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      return audit().filter(match);
    },
    stop: async () => {
      await serve.stop();
    },
  };
}

/** A resource exactly as ListResources returns it, found by paging through its type. */
export async function listedResource(clients: ConnectorClients, type: string, id: string): Promise<Resource> {
  let pageToken = "";
  do {
    const page = await clients.resources.listResources({ resourceTypeId: type, pageSize: 100, pageToken });
    const found = page.list.find((r) => r.id?.resource === id);
    if (found) return found;
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  throw new Error(`ListResources has no ${type} ${id}`);
}

/** The entitlement `slug` of a resource, exactly as ListEntitlements returns it. */
export async function listedEntitlement(clients: ConnectorClients, type: string, id: string, slug: string): Promise<Entitlement> {
  const page = await clients.entitlements.listEntitlements({ resource: await listedResource(clients, type, id) });
  const found = page.list.find((e) => e.slug === slug);
  if (!found) throw new Error(`${type} ${id} has no ${slug} entitlement`);
  return found;
}

/** The ConnectError a call fails with (the test fails if it succeeds). */
export async function failureOf(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

/** Requests that changed something in the org, other than the capability probe's harmless DELETEs. */
export function writesIn(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((e) => e.method !== "GET" && !e.path.includes("connectorcapabilityprobe") && !e.path.startsWith("/oauth2/"));
}
