import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { Resource } from "../../../gen/c1/connector/v2/resource_pb.js";
import { attemptWrite, isOktaError, type OktaUser, type OktaUsersApi } from "../../okta/index.js";
import { ConnectorError, isKindedError } from "../../protocol/errors.js";
import type { AccountOutcome, AccountRequest, ProvisionCallContext } from "../../protocol/resource-syncer.js";
import { callOptions, unlessNotFound } from "../shared/provisioning.js";
import { namePartsOf, randomPassword } from "./random-password.js";

/**
 * CreateAccount for Okta users (`POST /api/v1/users`), with baton-okta's account-creation fields
 * (user-account-schema.ts) and two improvements: a generated password is handed back to the caller
 * (baton-okta drops it), and a duplicate login returns the account that holds it.
 *
 * Activation, in baton-okta's order of precedence:
 * - `create_inactive`: `activate=false`, the user stays STAGED;
 * - `send_activation_email=false`: created with `activate=false`, then activated with
 *   `sendEmail=false`;
 * - otherwise `activate=true`: ACTIVE with a password, or PROVISIONED (Okta e-mails an activation
 *   link) without one, which is reported as action-required.
 *
 * Okta does not dedupe `POST /api/v1/users`. When the create landed but its answer was lost (a 5xx or
 * a reset), the executor's retry meets "login already exists". That account is this call's own when
 * the create was retried after a lost answer, Okta created it after this call started, nobody has
 * signed in to it, and its password is still the one set at creation: the landed request carried this
 * call's body and password, so the call carries on as if the first answer had come (activation
 * included) and answers "created" with that password. Anything else is someone else's account and
 * answers already-exists, as before. When no attempt got an answer at all, the same read decides
 * before the failure is answered (landedDespiteFailure), since the password dies with this call.
 */
export interface UserAccountDeps {
  readonly okta: Pick<OktaUsersApi, "createUser" | "activateUser" | "getUser" | "listUsers">;
  /** The user syncer's own mapper, so a created account looks exactly as the next sync lists it. */
  readonly resourceOf: (user: OktaUser) => Resource;
}

/** How far Okta's clock may run behind ours when judging that an account was created during this call. */
const CLOCK_SKEW_MS = 120_000;

/** Profile keys Okta's base schema owns; additionalAttributes may not override them. */
const PROTECTED_KEYS = new Set(["firstName", "lastName", "email", "login"]);

export function createUserAccounts(deps: UserAccountDeps) {
  return {
    async createAccount(request: AccountRequest, ctx: ProvisionCallContext): Promise<AccountOutcome> {
      const p = request.profile;
      const firstName = requiredString(p, "first_name");
      const lastName = requiredString(p, "last_name");
      const email = optionalString(p, "email") ?? primaryEmail(request) ?? missing("email");
      const login = optionalString(p, "login") ?? (request.login !== "" ? request.login : email);
      const createInactive = flag(p, "create_inactive", false);
      const sendActivationEmail = flag(p, "send_activation_email", true);
      const forceChange = request.forceChangeAtNextLogin || flag(p, "password_change_on_login_required", false);
      const providerType = (optionalString(p, "provider_type") ?? "OKTA").toUpperCase();
      if (providerType !== "OKTA" && providerType !== "FEDERATION") {
        throw new ConnectorError("invalid", `account_info.profile.provider_type: "${providerType}" is not OKTA or FEDERATION`);
      }
      const federated = providerType === "FEDERATION";
      const random = request.credential.kind === "random-password";
      if (federated && random) throw new ConnectorError("invalid", "credential_options: a FEDERATION user's password lives with its identity provider; use NO_PASSWORD");
      if (forceChange && !random) throw new ConnectorError("invalid", "credential_options.force_change_at_next_login: needs a password (RANDOM_PASSWORD)");
      if (forceChange && (createInactive || !sendActivationEmail)) {
        throw new ConnectorError("invalid", "account_info.profile.password_change_on_login_required: needs an activated account; drop create_inactive and send_activation_email=false");
      }

      const password = request.credential.kind === "random-password"
        ? randomPassword({ length: request.credential.length, constraints: request.credential.constraints, avoid: namePartsOf([login, email, firstName, lastName]) })
        : undefined;
      const activateNow = !createInactive && sendActivationEmail;
      const body = {
        profile: { ...additionalAttributes(p), firstName, lastName, email, login },
        ...(password !== undefined ? { credentials: { password: { value: password } } } : {}),
        ...(federated ? { credentials: { provider: { type: "FEDERATION", name: "FEDERATION" } } } : {}),
      };

      const startedAtMs = Date.now();
      const create = await attemptWrite(() => deps.okta.createUser(body, {
        activate: activateNow,
        ...(federated ? { provider: true } : {}),
        ...(forceChange ? { nextLogin: "changePassword" as const } : {}),
        ...callOptions(ctx),
      }));
      let user: OktaUser;
      if (create.ok) {
        user = create.value;
      } else if (!isDuplicateLogin(create.error)) {
        if (!create.uncertain) throw create.error;
        user = await landedDespiteFailure(login, create.error, startedAtMs, password !== undefined, ctx);
      } else {
        const existing = await userByLogin(login, ctx);
        if (!existing) throw new ConnectorError("conflict", `login "${login}" already exists in Okta, but the user holding it could not be read`, { cause: create.error });
        // Someone else's account is returned as it is: never activated or changed, since a STAGED
        // account cannot be told apart from one left inactive on purpose.
        if (!create.uncertain || !isFreshAccount(existing, startedAtMs, password !== undefined)) {
          return { result: "already-exists", resource: deps.resourceOf(existing), secrets: [] };
        }
        user = existing;
      }

      if (!createInactive && !sendActivationEmail && user.status === "STAGED") {
        const userId = user.id;
        const activate = await attemptWrite(() => deps.okta.activateUser(userId, { sendEmail: false, ...callOptions(ctx) }));
        user = await unlessNotFound(() => deps.okta.getUser(userId, callOptions(ctx)), user);
        // A refused retry of an activation whose answer was lost: the fresh read shows it landed.
        if (!activate.ok && !(activate.uncertain && user.status !== "STAGED")) {
          const recover = password === undefined
            ? `activate it with the enable_user action (user_id ${userId})`
            : `its password is not returned: delete it (DeleteResource, user ${userId}) and call CreateAccount again`;
          // The failure keeps its kind (so its gRPC code), and the message says where the account stands.
          const kinded = isKindedError(activate.error) ? activate.error : undefined;
          throw new ConnectorError(kinded?.kind ?? "unavailable", `account ${userId} ("${login}") was created by this call but is STAGED, because activating it failed (${messageOf(activate.error)}); ${recover}`, {
            cause: activate.error,
            ...(kinded?.rateLimit ? { rateLimit: kinded.rateLimit } : {}),
          });
        }
      }
      const secrets = password === undefined ? [] : [{ name: "password", description: `Okta password of ${login}`, value: password }];
      const resource = deps.resourceOf(user);
      if (user.status === "PROVISIONED") {
        const how = sendActivationEmail ? `follow the activation link Okta e-mailed to ${email}` : "be sent an activation link by an Okta administrator";
        return { result: "action-required", resource, message: `the account is PROVISIONED: the user must ${how} before signing in`, secrets };
      }
      return { result: "created", resource, secrets };
    },
  };

  /**
   * Every attempt of the create failed, and at least one without an answer, so it may have landed
   * with this call's password. The password is still in hand, so a read decides: the fresh account
   * is this call's own and the call carries on; no account means nothing landed and the failure is
   * the answer (a retry is safe). When even the read fails, the error says where the account may
   * stand and how to recover, since the password is lost with this call.
   */
  async function landedDespiteFailure(login: string, failure: unknown, startedAtMs: number, sentPassword: boolean, ctx: ProvisionCallContext): Promise<OktaUser> {
    let existing: OktaUser | undefined;
    try {
      existing = await userByLogin(login, ctx);
    } catch (readError) {
      const kinded = isKindedError(failure) ? failure : undefined;
      throw new ConnectorError(kinded?.kind ?? "unavailable", `creating "${login}" failed without an answer from Okta (${messageOf(failure)}), and reading it back failed too (${messageOf(readError)}): the account may exist with a password nobody holds; once Okta answers, look it up by login and delete it (DeleteResource) before calling CreateAccount again`, {
        cause: failure,
        ...(kinded?.rateLimit ? { rateLimit: kinded.rateLimit } : {}),
      });
    }
    if (existing && isFreshAccount(existing, startedAtMs, sentPassword)) return existing;
    throw failure;
  }

  /** `filter=profile.login eq "…"`: the filter index is exact and includes DEPROVISIONED users. */
  async function userByLogin(login: string, ctx: ProvisionCallContext): Promise<OktaUser | undefined> {
    const quoted = login.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const page = await deps.okta.listUsers({ filter: `profile.login eq "${quoted}"`, limit: 1, signal: ctx.signal, deadlineMs: ctx.deadlineMs });
    return page.items[0];
  }
}

/**
 * True when `user` can only be the account this call's lost create made: Okta created it after the
 * call started (allowing for clock skew), nobody has signed in, and, when the call sent a password,
 * it has not changed since creation (so it is still the one this call holds).
 */
function isFreshAccount(user: OktaUser, startedAtMs: number, sentPassword: boolean): boolean {
  const created = Date.parse(user.created ?? "");
  if (!(created >= startedAtMs - CLOCK_SKEW_MS) || (user.lastLogin ?? null) !== null) return false;
  if (!sentPassword) return true;
  const changed = Date.parse(user.passwordChanged ?? "");
  return changed - created < 1_000;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Okta answers a taken login with 400 E0000001 and the cause "login: An object with this field
 * already exists in the current organization".
 */
function isDuplicateLogin(error: unknown): boolean {
  return isOktaError(error) && error.kind === "invalid" && error.errorCauses.some((cause) => /^login:/i.test(cause) && /already exists/i.test(cause));
}

function primaryEmail(request: AccountRequest): string | undefined {
  return (request.emails.find((e) => e.primary) ?? request.emails[0])?.address;
}

function optionalString(profile: JsonObject, key: string): string | undefined {
  const value = profile[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ConnectorError("invalid", `account_info.profile.${key}: must be a string`);
  return value.trim() === "" ? undefined : value.trim();
}

function requiredString(profile: JsonObject, key: string): string {
  return optionalString(profile, key) ?? missing(key);
}

function missing(key: string): never {
  throw new ConnectorError("invalid", `account_info.profile.${key}: is required`);
}

/** A boolean field; engines that render baton-okta's schema send "true"/"false" strings. */
function flag(profile: JsonObject, key: string, fallback: boolean): boolean {
  const value: JsonValue | undefined = profile[key];
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new ConnectorError("invalid", `account_info.profile.${key}: ${JSON.stringify(value)} is not true or false`);
}

/** `additionalAttributes`: any Okta profile attributes (custom schema included) except the base four. */
function additionalAttributes(profile: JsonObject): JsonObject {
  const raw = profile["additionalAttributes"] ?? profile["additional_attributes"];
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw new ConnectorError("invalid", "account_info.profile.additionalAttributes: must be an object");
  for (const key of Object.keys(raw)) {
    if (PROTECTED_KEYS.has(key)) throw new ConnectorError("invalid", `account_info.profile.additionalAttributes.${key}: is set by its own field`);
  }
  return raw;
}
