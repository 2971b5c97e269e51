import type { OktaExpression } from "./okta-expression-parser.js";

/** What an expression is evaluated against: the user's profile and, for the group functions, their groups. */
export interface ExpressionSubject {
  readonly profile: Readonly<Record<string, unknown>>;
  /** The user's groups; undefined when unknown (an expression that needs them then has no answer). */
  readonly groups?: readonly { readonly id: string; readonly name: string }[] | undefined;
}

type Value = string | number | boolean | null;

/** A group function's answer when the user's groups are not known. */
const UNKNOWN = Symbol("unknown");
type Result = Value | typeof UNKNOWN;

/**
 * Whether `expression` holds for `subject`: true or false, or undefined when the answer depends on
 * a group function and `subject.groups` is not known. Unknowns follow three-valued logic, so
 * `isMemberOfGroupName("X") && user.department == "Sales"` is false for an engineer without asking
 * for groups. An attribute the profile lacks is null, as in Okta; comparisons are exact (Okta's `==`
 * is case-sensitive); anything not a boolean true is false.
 */
export function evaluateOktaExpression(expression: OktaExpression, subject: ExpressionSubject): boolean | undefined {
  const result = evaluate(expression, subject);
  return result === UNKNOWN ? undefined : result === true;
}

function evaluate(e: OktaExpression, s: ExpressionSubject): Result {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "attribute":
      return valueOf(s.profile[e.name]);
    case "not": {
      const operand = evaluate(e.operand, s);
      return operand === UNKNOWN ? UNKNOWN : operand !== true;
    }
    case "logical": {
      const left = truth(evaluate(e.left, s));
      // The left side decides alone as Okta short-circuits: false for &&, true for ||.
      if (left === (e.op === "or")) return left;
      const right = truth(evaluate(e.right, s));
      if (right === (e.op === "or")) return right;
      return left === UNKNOWN || right === UNKNOWN ? UNKNOWN : right;
    }
    case "compare": {
      const left = evaluate(e.left, s);
      const right = evaluate(e.right, s);
      return left === UNKNOWN || right === UNKNOWN ? UNKNOWN : compare(e.op, left, right);
    }
    case "string": {
      const args = e.args.map((a) => evaluate(a, s));
      return args.includes(UNKNOWN) ? UNKNOWN : stringFunction(e.fn, args as Value[]);
    }
    case "group":
      return s.groups === undefined ? UNKNOWN : groupFunction(e.fn, e.args, s.groups);
  }
}

function truth(result: Result): boolean | typeof UNKNOWN {
  return result === UNKNOWN ? UNKNOWN : result === true;
}

/** Profile values as the evaluator sees them; arrays and objects compare equal to nothing. */
function valueOf(raw: unknown): Value {
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  return null;
}

function compare(op: string, a: Value, b: Value): boolean {
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  // Ordering compares numbers with numbers and strings with strings only.
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function stringFunction(fn: string, args: Value[]): Value {
  const [a, b] = args;
  if (fn === "toLowerCase") return typeof a === "string" ? a.toLowerCase() : null;
  if (fn === "toUpperCase") return typeof a === "string" ? a.toUpperCase() : null;
  if (typeof a !== "string" || typeof b !== "string") return false;
  if (fn === "startsWith") return a.startsWith(b);
  if (fn === "endsWith") return a.endsWith(b);
  return a.includes(b);
}

function groupFunction(fn: string, args: readonly string[], groups: NonNullable<ExpressionSubject["groups"]>): boolean {
  const [arg = ""] = args;
  switch (fn) {
    case "isMemberOfGroup":
      return groups.some((g) => g.id === arg);
    case "isMemberOfAnyGroup":
      return groups.some((g) => args.includes(g.id));
    case "isMemberOfGroupName":
      return groups.some((g) => g.name === arg);
    case "isMemberOfGroupNameStartsWith":
      return groups.some((g) => g.name.startsWith(arg));
    default:
      return groups.some((g) => g.name.includes(arg));
  }
}
