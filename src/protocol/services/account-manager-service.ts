import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  AccountManagerService,
  type CreateAccountRequest,
  CreateAccountResponseSchema,
  type CredentialOptions,
} from "../../../gen/c1/connector/v2/resource_pb.js";
import { fitResource } from "../fit-limits.js";
import { LIMITS } from "../limits.js";
import type { AccountCredential, AccountOutcome, AccountRequest, ResourceSyncer } from "../resource-syncer.js";
import { prepareSecretOutput } from "../secret-output.js";
import { invalid, validateString } from "../validate-request.js";
import type { ConnectorDefinition } from "./connector-definition.js";
import { forAudit, provisioningOff, startProvisioningCall } from "./provisioning-call.js";

/**
 * AccountManagerService.CreateAccount over the syncer that creates accounts (the request's
 * resource_type_id, or the only syncer that can when it is empty). The credential options the
 * metadata advertises are NO_PASSWORD and RANDOM_PASSWORD; anything else is refused before Okta is
 * called, as are encryption configs that could not be used.
 */
export function createAccountManagerService(def: ConnectorDefinition): ServiceImpl<typeof AccountManagerService> {
  const accountSyncer = (resourceTypeId: string): ResourceSyncer & Required<Pick<ResourceSyncer, "createAccount">> => {
    validateString("resource_type_id", resourceTypeId, { maxBytes: LIMITS.id });
    const candidates = resourceTypeId === "" ? def.registry.syncers.filter((s) => s.createAccount) : [def.registry.find(resourceTypeId)].filter((s) => s !== undefined);
    if (resourceTypeId !== "" && candidates.length === 0) throw new ConnectError(`resource_type_id: unknown resource type "${resourceTypeId}"`, Code.NotFound);
    const syncer = candidates[0];
    if (!syncer?.createAccount) throw new ConnectError(`CreateAccount is not supported for resource type "${resourceTypeId}"`, Code.Unimplemented);
    return syncer as ResourceSyncer & Required<Pick<ResourceSyncer, "createAccount">>;
  };

  return {
    createAccount(req, ctx) {
      if (!def.provisioning) throw provisioningOff();
      const defaultType = def.registry.syncers.find((s) => s.createAccount)?.resourceType.id ?? "";
      const call = startProvisioningCall(def, ctx, { operation: "create_account", resourceType: forAudit(req.resourceTypeId) ?? defaultType });
      return call.run(async (pctx) => {
        const syncer = accountSyncer(req.resourceTypeId);
        const request = accountRequestOf(req);
        const seal = prepareSecretOutput(req.encryptionConfigs);
        const type = syncer.resourceType.id;
        await call.requireAccess(type, `CreateAccount on ${type}`);
        const outcome = await syncer.createAccount(request, pctx);
        const sealed = seal(outcome.secrets);
        const value = create(CreateAccountResponseSchema, { result: resultOf(outcome), encryptedData: sealed.encryptedData, annotations: sealed.annotations });
        const id = outcome.resource.id;
        return { value, outcome: outcome.result.replace("-", "_"), resource: id ? `${id.resourceType}:${id.resource}` : undefined };
      });
    },
  };
}

function resultOf(outcome: AccountOutcome): MessageInitShape<typeof CreateAccountResponseSchema>["result"] {
  const resource = fitResource(outcome.resource);
  switch (outcome.result) {
    case "created":
      return { case: "success", value: { resource, isCreateAccountResult: true } };
    case "action-required":
      return { case: "actionRequired", value: { resource, message: outcome.message ?? "", isCreateAccountResult: true } };
    case "already-exists":
      return { case: "alreadyExists", value: { resource, isCreateAccountResult: true } };
  }
}

/** The request as the syncer sees it, checked against baton's field limits. */
function accountRequestOf(req: CreateAccountRequest): AccountRequest {
  const info = req.accountInfo;
  if (!info) throw invalid("account_info", "is required");
  validateString("account_info.login", info.login, { maxBytes: LIMITS.id });
  info.emails.forEach((email, i) => {
    validateString(`account_info.emails[${i}].address`, email.address, { required: true, maxBytes: LIMITS.id });
    if (!/^[^\s@]+@[^\s@]+$/.test(email.address)) throw invalid(`account_info.emails[${i}].address`, `"${email.address}" is not an e-mail address`);
  });
  return {
    login: info.login,
    emails: info.emails.map((e) => ({ address: e.address, primary: e.isPrimary })),
    profile: info.profile ?? {},
    credential: credentialOf(req.credentialOptions),
    forceChangeAtNextLogin: req.credentialOptions?.forceChangeAtNextLogin ?? false,
  };
}

/** NO_PASSWORD (also when no options are sent, as Okta then e-mails an activation link) or RANDOM_PASSWORD. */
function credentialOf(options: CredentialOptions | undefined): AccountCredential {
  const chosen = options?.options;
  if (chosen === undefined || chosen.case === undefined || chosen.case === "noPassword") return { kind: "no-password" };
  if (chosen.case === "randomPassword") {
    return {
      kind: "random-password",
      length: Number(chosen.value.length),
      constraints: chosen.value.constraints.map((c) => ({ charSet: c.charSet, minCount: c.minCount })),
    };
  }
  throw invalid(`credential_options.${chosen.case === "encryptedPassword" ? "encrypted_password" : chosen.case}`, "is not supported (use no_password or random_password)");
}
