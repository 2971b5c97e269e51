/**
 * The SCIM-style expressions Okta accepts in `search`, `filter` (users, groups, apps) and the System Log's
 * `filter`: `profile.lastName sw "S" and (status eq "ACTIVE" or status pr)`. Strings compare without
 * regard to case, as Okta's search does; ISO timestamps compare as instants.
 */

/** A comparison operator. */
export type FilterOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
/** A literal on the right of a comparison. */
export type FilterValue = string | number | boolean | null;

/** A parsed expression. */
export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; expr: FilterNode }
  | { kind: "cmp"; attr: string; op: FilterOp; value: FilterValue }
  | { kind: "pr"; attr: string };

/** Thrown for an expression that does not parse; the message names the position and the problem. */
export interface FilterSyntaxError extends Error { readonly filterSyntax: true }

const OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Token = { type: "word" | "string" | "lparen" | "rparen"; text: string; pos: number };

/** Parses `text`; throws a FilterSyntaxError on any error. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const word = (t: Token | undefined, w: string): boolean => t?.type === "word" && t.text.toLowerCase() === w;

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (word(peek(), "or")) {
      i++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (word(peek(), "and")) {
      i++;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    const t = peek();
    if (!t) throw syntaxError(text.length, "expression expected");
    if (word(t, "not")) {
      i++;
      if (peek()?.type !== "lparen") throw syntaxError(peek()?.pos ?? text.length, "'(' expected after not");
      return { kind: "not", expr: parseUnary() };
    }
    if (t.type === "lparen") {
      i++;
      const inner = parseOr();
      if (peek()?.type !== "rparen") throw syntaxError(peek()?.pos ?? text.length, "')' expected");
      i++;
      return inner;
    }
    if (t.type !== "word" || !/^[A-Za-z_$][\w$.-]*$/.test(t.text)) throw syntaxError(t.pos, `attribute expected, found '${t.text}'`);
    i++;
    const opToken = peek();
    if (!opToken || opToken.type !== "word") throw syntaxError(opToken?.pos ?? text.length, "operator expected");
    const op = opToken.text.toLowerCase();
    i++;
    if (op === "pr") return { kind: "pr", attr: t.text };
    if (!OPS.has(op)) throw syntaxError(opToken.pos, `unknown operator '${opToken.text}'`);
    const valueToken = peek();
    if (!valueToken) throw syntaxError(text.length, "value expected");
    i++;
    return { kind: "cmp", attr: t.text, op: op as FilterOp, value: literal(valueToken) };
  };

  const node = parseOr();
  const rest = peek();
  if (rest) throw syntaxError(rest.pos, `unexpected '${rest.text}'`);
  return node;
}

/** Every attribute and operator an expression uses, so callers can enforce an endpoint's allow-list. */
export function filterTerms(node: FilterNode): { attr: string; op: FilterOp | "pr" | "not" }[] {
  switch (node.kind) {
    case "and":
    case "or":
      return [...filterTerms(node.left), ...filterTerms(node.right)];
    case "not":
      return [{ attr: "", op: "not" }, ...filterTerms(node.expr)];
    case "pr":
      return [{ attr: node.attr, op: "pr" }];
    case "cmp":
      return [{ attr: node.attr, op: node.op }];
  }
}

/**
 * Evaluates `node`; `resolve` returns an attribute's value, or an array of values (a log event's
 * `target.id`), in which case any element may match.
 */
export function evaluateFilter(node: FilterNode, resolve: (attr: string) => unknown): boolean {
  switch (node.kind) {
    case "and":
      return evaluateFilter(node.left, resolve) && evaluateFilter(node.right, resolve);
    case "or":
      return evaluateFilter(node.left, resolve) || evaluateFilter(node.right, resolve);
    case "not":
      return !evaluateFilter(node.expr, resolve);
    case "pr": {
      const actual = resolve(node.attr);
      if (Array.isArray(actual)) return actual.some(isPresent);
      return isPresent(actual);
    }
    case "cmp": {
      const actual = resolve(node.attr);
      if (node.op === "ne") return !matchesAny(actual, "eq", node.value);
      return matchesAny(actual, node.op, node.value);
    }
  }
}

/** Reads a dotted path (`profile.login`) from a plain object. */
export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const part of path.split(".")) {
    if (Array.isArray(current)) return current.map((item) => readPath(item, part));
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

function matchesAny(actual: unknown, op: FilterOp, expected: FilterValue): boolean {
  if (Array.isArray(actual)) return actual.some((item) => compare(item, op, expected));
  return compare(actual, op, expected);
}

function compare(actual: unknown, op: FilterOp, expected: FilterValue): boolean {
  if (expected === null) return op === "eq" && (actual === null || actual === undefined);
  if (actual === null || actual === undefined) return false;
  if (typeof expected === "boolean") return op === "eq" && actual === expected;
  if (typeof expected === "number" || typeof actual === "number") {
    const a = Number(actual);
    const e = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(e)) return false;
    return order(op, a - e);
  }
  const a = String(actual);
  const e = String(expected);
  if ((op === "gt" || op === "ge" || op === "lt" || op === "le" || op === "eq") && ISO_DATE.test(a) && ISO_DATE.test(e)) {
    const diff = Date.parse(a) - Date.parse(e);
    if (!Number.isNaN(diff)) return order(op, diff);
  }
  const al = a.toLowerCase();
  const el = e.toLowerCase();
  switch (op) {
    case "co":
      return al.includes(el);
    case "sw":
      return al.startsWith(el);
    case "ew":
      return al.endsWith(el);
    default:
      return order(op, al < el ? -1 : al > el ? 1 : 0);
  }
}

function order(op: FilterOp, diff: number): boolean {
  switch (op) {
    case "eq":
      return diff === 0;
    case "gt":
      return diff > 0;
    case "ge":
      return diff >= 0;
    case "lt":
      return diff < 0;
    case "le":
      return diff <= 0;
    default:
      return false;
  }
}

function literal(token: Token): FilterValue {
  if (token.type === "string") return token.text;
  if (token.type !== "word") throw syntaxError(token.pos, `value expected, found '${token.text}'`);
  const lower = token.text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  throw syntaxError(token.pos, `value expected, found '${token.text}' (strings need double quotes)`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ type: ch === "(" ? "lparen" : "rparen", text: ch, pos: i });
      i++;
    } else if (ch === '"') {
      const start = i++;
      let value = "";
      for (;;) {
        if (i >= text.length) throw syntaxError(start, "unterminated string");
        const c = text[i] as string;
        if (c === "\\" && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      tokens.push({ type: "string", text: value, pos: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s()"]/.test(text[i] as string)) i++;
      tokens.push({ type: "word", text: text.slice(start, i), pos: start });
    }
  }
  if (tokens.length === 0) throw syntaxError(0, "empty expression");
  return tokens;
}

function syntaxError(pos: number, message: string): FilterSyntaxError {
  const error = new Error(`${message} at position ${pos}`) as Error & { filterSyntax: true };
  error.filterSyntax = true;
  return error;
}

/** True for errors thrown by {@link parseFilter}. */
export function isFilterSyntaxError(value: unknown): value is FilterSyntaxError {
  return typeof value === "object" && value !== null && (value as { filterSyntax?: unknown }).filterSyntax === true;
}
