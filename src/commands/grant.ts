import { create } from "@bufbuild/protobuf";
import { anyIs } from "@bufbuild/protobuf/wkt";
import { GrantAlreadyExistsSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { EntitlementSchema } from "../../gen/c1/connector/v2/entitlement_pb.js";
import { ResourceSchema } from "../../gen/c1/connector/v2/resource_pb.js";
import { createConnectorClients } from "../engine/connector-client.js";
import { readBearerToken, validateConnectorAddress } from "./connector-input.js";
import { parseEntitlementId, parsePrincipal } from "./provisioning-input.js";

/** `grant`'s options as commander hands them over. */
export interface GrantCommandInput {
  readonly connector?: string;
  readonly entitlement?: string;
  readonly principal?: string;
  readonly authTokenFile?: string;
  readonly json?: boolean;
}

/**
 * `okta-connector grant`: asks a running connector (started with --provisioning) to grant an
 * entitlement to a principal, and prints the grant the connector returns, which is the grant the
 * next sync lists. A grant that already existed is reported as such and still exits 0.
 */
export async function runGrantCommand(input: GrantCommandInput): Promise<void> {
  const address = validateConnectorAddress(input.connector);
  const entitlement = parseEntitlementId("entitlement", input.entitlement?.trim() ?? "");
  const principal = parsePrincipal("principal", input.principal?.trim() ?? "");
  const bearerToken = readBearerToken(input.authTokenFile);
  const clients = createConnectorClients({ address, ...(bearerToken === undefined ? {} : { bearerToken }) });
  const response = await clients.grantManager.grant({
    entitlement: create(EntitlementSchema, {
      id: entitlement.id,
      slug: entitlement.slug,
      resource: { id: { resourceType: entitlement.resourceType, resource: entitlement.resource } },
    }),
    principal: create(ResourceSchema, { id: { resourceType: principal.resourceType, resource: principal.resource } }),
  });
  const alreadyExisted = response.annotations.some((a) => anyIs(a, GrantAlreadyExistsSchema));
  const grantIds = response.grants.map((g) => g.id);
  const text = input.json
    ? JSON.stringify({ outcome: alreadyExisted ? "already_exists" : "granted", grants: grantIds }) + "\n"
    : `${alreadyExisted ? "already granted" : "granted"}: ${grantIds.join(", ") || `${entitlement.id} to ${principal.resourceType}:${principal.resource}`}\n`;
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
