import type { OktaIdPrefix } from "../core/okta-ids.js";
import type { FactorRecord, FactorStatus, FactorType, UserRecord } from "../org/types.js";
import type { GenerateContext } from "./users.js";

const DAY_MS = 86_400_000;

/** Per factor type: Okta's id prefix, the providers it comes from, and how common it is. */
const KINDS: Record<FactorType, { prefix: OktaIdPrefix; providers: string[]; weight: number }> = {
  push: { prefix: "opf", providers: ["OKTA"], weight: 40 },
  "token:software:totp": { prefix: "uft", providers: ["OKTA", "GOOGLE"], weight: 20 },
  webauthn: { prefix: "fwf", providers: ["FIDO"], weight: 12 },
  sms: { prefix: "mbl", providers: ["OKTA"], weight: 12 },
  email: { prefix: "emf", providers: ["OKTA"], weight: 8 },
  question: { prefix: "ufs", providers: ["OKTA"], weight: 4 },
  call: { prefix: "clf", providers: ["OKTA"], weight: 2 },
  "token:hardware": { prefix: "ykf", providers: ["YUBICO"], weight: 2 },
};
const TYPES = Object.keys(KINDS) as FactorType[];
const AUTHENTICATORS = ["MacBook Touch ID", "YubiKey 5 NFC", "Windows Hello", "iCloud Keychain"];
const QUESTIONS: [string, string][] = [
  ["disliked_food", "What is the food you least liked as a child?"],
  ["name_of_first_plush_toy", "What is the name of your first stuffed animal?"],
  ["favorite_movie_quote", "What is your favorite movie quote?"],
];

/**
 * Enrols MFA factors. Users never activated (STAGED, PROVISIONED) have none; of the others about one
 * in eight has none, and the rest one to three of distinct types, mostly ACTIVE. With 20 users or
 * more, one user (index 11) has only a PENDING_ACTIVATION factor: enrolled, yet no MFA.
 */
export function generateFactors(ctx: GenerateContext, users: readonly UserRecord[]): Map<string, FactorRecord[]> {
  const { prng } = ctx;
  const out = new Map<string, FactorRecord[]>();
  const weights = TYPES.map((t) => KINDS[t].weight);
  const pendingOnly = users.length >= 20 ? 11 : -1;
  for (const user of users) {
    if (user.activated === null || user.status === "STAGED" || user.status === "PROVISIONED") continue;
    if (user.index !== pendingOnly && prng.chance(0.12)) continue;
    const count = user.index === pendingOnly ? 1 : prng.weighted([1, 2, 3], [60, 30, 10]);
    const types = new Set<FactorType>();
    while (types.size < count) types.add(prng.weighted(TYPES, weights));
    const factors = [...types].map((factorType): FactorRecord => {
      const kind = KINDS[factorType];
      const created = user.activated! + prng.int(Math.max(1, ctx.now - user.activated!));
      const status: FactorStatus = user.index === pendingOnly ? "PENDING_ACTIVATION" : prng.chance(0.08) ? "PENDING_ACTIVATION" : "ACTIVE";
      return {
        id: ctx.ids.mint(kind.prefix),
        factorType,
        provider: prng.pick(kind.providers),
        status,
        created,
        lastUpdated: created + prng.int(DAY_MS),
        profile: profileOf(factorType, user, ctx),
      };
    });
    out.set(user.id, factors);
  }
  return out;
}

function profileOf(type: FactorType, user: UserRecord, ctx: GenerateContext): Record<string, unknown> {
  const { prng } = ctx;
  const phone = `+1555${String(1_000_000 + prng.int(9_000_000))}`;
  switch (type) {
    case "push":
      return { credentialId: user.profile.login, deviceType: prng.pick(["SmartPhone_IPhone", "SmartPhone_Android"]), name: "Phone", platform: prng.pick(["IOS", "ANDROID"]), version: "9.4" };
    case "sms":
    case "call":
      return { phoneNumber: phone };
    case "token:software:totp":
    case "token:hardware":
      return { credentialId: user.profile.login };
    case "webauthn":
      return { authenticatorName: prng.pick(AUTHENTICATORS), credentialId: Array.from({ length: 43 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"[prng.int(64)]).join("") };
    case "email":
      return { email: typeof user.profile["email"] === "string" ? user.profile["email"] : `${user.profile.login}@mail.example` };
    case "question": {
      const [question, questionText] = prng.pick(QUESTIONS);
      return { question, questionText };
    }
  }
}
