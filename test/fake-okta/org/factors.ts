import { GENERATED_AT } from "../generate/org.js";
import { factorsOfUser } from "../generate/factors.js";
import type { OrgState } from "./state.js";
import type { FactorRecord } from "./types.js";

/**
 * Users' MFA factors: read only (the connector never enrols or resets one). `restrict` reproduces a
 * user whose factors Okta refuses to show an admin below Super Administrator (403 E0000006), as it
 * does to an admin whose role does not cover that user, e.g. a Group Administrator scoped to other groups.
 */
export interface FactorStore {
  /** The user's enrolled factors, in enrolment order (none for users created at run time). */
  of(userId: string): readonly FactorRecord[];
  get(userId: string, factorId: string): FactorRecord | undefined;
  restrict(userId: string): void;
  isRestricted(userId: string): boolean;
}

export function createFactorStore(state: OrgState): FactorStore {
  const restricted = new Set<string>();
  const generated = state.factorEligible.length;
  const of = (userId: string): FactorRecord[] => {
    const index = state.userIndexById.get(userId);
    const user = index === undefined ? undefined : state.users[index];
    if (!user || user.index >= generated) return [];
    return factorsOfUser(state.info.seed, GENERATED_AT, user, state.factorEligible[user.index] === 1, generated);
  };
  return {
    of,
    get: (userId, factorId) => of(userId).find((f) => f.id === factorId),
    restrict: (userId) => void restricted.add(userId),
    isRestricted: (userId) => restricted.has(userId),
  };
}
