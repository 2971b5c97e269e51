import { create } from "@bufbuild/protobuf";
import { anyIs } from "@bufbuild/protobuf/wkt";
import { GrantAlreadyRevokedSchema } from "../../gen/c1/connector/v2/annotation_grant_pb.js";
import { GrantSchema } from "../../gen/c1/connector/v2/grant_pb.js";
import { createConnectorClients } from "../engine/connector-client.js";
import { readBearerToken, validateConnectorAddress } from "./connector-input.js";
import { parseGrantId } from "./provisioning-input.js";

/** `revoke`'s options as commander hands them over. */
export interface RevokeCommandInput {
  readonly connector?: string;
  readonly grant?: string;
  readonly authTokenFile?: string;
  readonly json?: boolean;
}

/**
 * `okta-connector revoke`: asks a running connector (started with --provisioning) to revoke a grant,
 * by the id a sync lists it under. A grant that was already gone is reported as such and exits 0.
 */
export async function runRevokeCommand(input: RevokeCommandInput): Promise<void> {
  const address = validateConnectorAddress(input.connector);
  const grant = parseGrantId("grant", input.grant?.trim() ?? "");
  const bearerToken = readBearerToken(input.authTokenFile);
  const clients = createConnectorClients({ address, ...(bearerToken === undefined ? {} : { bearerToken }) });
  const e = grant.entitlement;
  const response = await clients.grantManager.revoke({
    grant: create(GrantSchema, {
      id: grant.id,
      entitlement: { id: e.id, slug: e.slug, resource: { id: { resourceType: e.resourceType, resource: e.resource } } },
      principal: { id: { resourceType: grant.principalType, resource: grant.principalId } },
    }),
  });
  const alreadyRevoked = response.annotations.some((a) => anyIs(a, GrantAlreadyRevokedSchema));
  const text = input.json
    ? JSON.stringify({ outcome: alreadyRevoked ? "already_revoked" : "revoked", grant: grant.id }) + "\n"
    : `${alreadyRevoked ? "already revoked" : "revoked"}: ${grant.id}\n`;
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
