import { createIdFactory, type OktaIdPrefix } from "../core/okta-ids.js";
import { createPrng, type Prng } from "../core/prng.js";
import type { FactorRecord, FactorStatus, FactorType, UserRecord } from "../org/types.js";

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
const WEIGHTS = TYPES.map((t) => KINDS[t].weight);
const AUTHENTICATORS = ["MacBook Touch ID", "YubiKey 5 NFC", "Windows Hello", "iCloud Keychain"];
const QUESTIONS: [string, string][] = [
  ["disliked_food", "What is the food you least liked as a child?"],
  ["name_of_first_plush_toy", "What is the name of your first stuffed animal?"],
  ["favorite_movie_quote", "What is your favorite movie quote?"],
];

/** Whether a generated user may have factors: users never activated (STAGED, PROVISIONED) have none. */
export function factorEligibility(users: readonly UserRecord[]): Uint8Array {
  const eligible = new Uint8Array(users.length);
  for (const user of users) if (user.activated !== null && user.status !== "STAGED" && user.status !== "PROVISIONED") eligible[user.index] = 1;
  return eligible;
}

/**
 * A generated user's MFA factors, derived on demand from the seed and the user's index, so an org of
 * a million users holds no factor records. Of the eligible users about one in eight has none, the rest
 * one to three of distinct types, mostly ACTIVE. With 20 users or more, the user at index 11 has only
 * a PENDING_ACTIVATION factor: enrolled, yet no MFA. Which factors and when they were enrolled depend only
 * on the seed, the user's index and creation time, never on its status now; profiles quote its login.
 */
export function factorsOfUser(seed: number, now: number, user: UserRecord, eligible: boolean, userCount: number): FactorRecord[] {
  if (!eligible) return [];
  const prng = createPrng(seed, `factors/${user.index}`);
  const ids = createIdFactory(prng.fork("ids"));
  const pendingOnly = userCount >= 20 && user.index === 11;
  if (!pendingOnly && prng.chance(0.12)) return [];
  const count = pendingOnly ? 1 : prng.weighted([1, 2, 3], [60, 30, 10]);
  const types = new Set<FactorType>();
  while (types.size < count) types.add(prng.weighted(TYPES, WEIGHTS));
  return [...types].map((factorType): FactorRecord => {
    const kind = KINDS[factorType];
    // Activation follows creation by up to two days (generate/users.ts).
    const enrolledFrom = user.created + 2 * DAY_MS;
    const created = enrolledFrom + prng.int(Math.max(1, now - enrolledFrom));
    const status: FactorStatus = pendingOnly ? "PENDING_ACTIVATION" : prng.chance(0.08) ? "PENDING_ACTIVATION" : "ACTIVE";
    return {
      id: ids.mint(kind.prefix),
      factorType,
      provider: prng.pick(kind.providers),
      status,
      created,
      lastUpdated: created + prng.int(DAY_MS),
      profile: profileOf(factorType, user, prng),
    };
  });
}

function profileOf(type: FactorType, user: UserRecord, prng: Prng): Record<string, unknown> {
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
