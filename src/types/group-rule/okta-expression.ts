import type { OktaExpression } from "./okta-expression-parser.js";

/** What an expression is evaluated against: the user's profile and, for the group functions, their groups. */
export interface ExpressionSubject {
  readonly profile: Readonly<Record<string, unknown>>;
  /** The user's groups; undefined when unknown (an expression that needs them then has no answer). */
  readonly groups?: readonly { readonly id: string; readonly name: string }[] | undefined;
}

type Value = string | number | boolean | null;

class GroupsUnknown extends Error {}

/**
 * Whether `expression` holds for `subject`: true or false, or undefined when it tests group
 * membership and `subject.groups` is not known. An attribute the profile lacks is null, as in Okta;
 * comparisons are exact (Okta's `==` is case-sensitive); anything not a boolean true is false.
 */
export function evaluateOktaExpression(expression: OktaExpression, subject: ExpressionSubject): boolean | undefined {
  try {
    return evaluate(expression, subject) === true;
  } catch (error) {
    if (error instanceof GroupsUnknown) return undefined;
    throw error;
  }
}

function evaluate(e: OktaExpression, s: ExpressionSubject): Value {
  switch (e.kind) {
    case "literal":
      return e.value;
    case "attribute":
      return valueOf(s.profile[e.name]);
    case "not":
      return evaluate(e.operand, s) !== true;
    case "logical": {
      // Short-circuit as Okta does, so `a || isMemberOf…` needs no groups when `a` holds.
      const left = evaluate(e.left, s) === true;
      if (e.op === "and" ? !left : left) return left;
      return evaluate(e.right, s) === true;
    }
    case "compare":
      return compare(e.op, evaluate(e.left, s), evaluate(e.right, s));
    case "string":
      return stringFunction(e.fn, e.args.map((a) => evaluate(a, s)));
    case "group":
      return groupFunction(e.fn, e.args, s);
  }
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

function groupFunction(fn: string, args: readonly string[], s: ExpressionSubject): boolean {
  if (s.groups === undefined) throw new GroupsUnknown();
  const groups = s.groups;
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
