/**
 * A parser for the part of Okta Expression Language that group rules commonly use: profile
 * attributes (`user.department`), string, number, boolean and null literals, `==` `!=` `<` `<=` `>`
 * `>=`, `&&`/`AND`, `||`/`OR`, `!`, parentheses, `String.startsWith/endsWith/stringContains/
 * toLowerCase/toUpperCase` and the group functions `isMemberOfGroup`, `isMemberOfAnyGroup`,
 * `isMemberOfGroupName`, `isMemberOfGroupNameStartsWith` and `isMemberOfGroupNameContains`.
 * Anything else (other functions, method calls on values, `matches`, the ternary operator) is
 * refused with the reason, so a caller never guesses what a rule means.
 */

export type OktaExpression =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "attribute"; readonly name: string }
  | { readonly kind: "not"; readonly operand: OktaExpression }
  | { readonly kind: "logical"; readonly op: "and" | "or"; readonly left: OktaExpression; readonly right: OktaExpression }
  | { readonly kind: "compare"; readonly op: CompareOp; readonly left: OktaExpression; readonly right: OktaExpression }
  | { readonly kind: "string"; readonly fn: StringFunction; readonly args: readonly OktaExpression[] }
  | { readonly kind: "group"; readonly fn: GroupFunction; readonly args: readonly string[] };

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** `String.*` functions and their arities. */
const STRING_FUNCTIONS = { startsWith: 2, endsWith: 2, stringContains: 2, toLowerCase: 1, toUpperCase: 1 } as const;
export type StringFunction = keyof typeof STRING_FUNCTIONS;

/** Group functions: each takes one or more string literals (group ids, names or name parts). */
const GROUP_FUNCTIONS = ["isMemberOfGroup", "isMemberOfAnyGroup", "isMemberOfGroupName", "isMemberOfGroupNameStartsWith", "isMemberOfGroupNameContains"] as const;
export type GroupFunction = (typeof GROUP_FUNCTIONS)[number];

/** A parsed expression, or why it is outside the subset. */
export type ParsedOktaExpression =
  | { readonly ok: true; readonly expression: OktaExpression; readonly usesGroups: boolean }
  | { readonly ok: false; readonly reason: string };

type Token =
  | { readonly t: "str"; readonly v: string; readonly at: number }
  | { readonly t: "num"; readonly v: number; readonly at: number }
  | { readonly t: "id"; readonly v: string; readonly at: number }
  | { readonly t: "op"; readonly v: string; readonly at: number };

class UnreadableExpression extends Error {}

const OPERATORS = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", ",", "."];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let value = "";
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new UnreadableExpression(`unterminated string at ${i}`);
      tokens.push({ t: "str", v: value, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ t: "num", v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      tokens.push({ t: "id", v: m[0], at: i });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) throw new UnreadableExpression(`"${c}" at ${i} is not in the supported subset`);
      tokens.push({ t: "op", v: op, at: i });
      i += op.length;
    }
  }
  return tokens;
}

/** Parses `text`; never throws. */
export function parseOktaExpression(text: string): ParsedOktaExpression {
  try {
    const parser = new Parser(tokenize(text));
    const expression = parser.expression();
    parser.end();
    return { ok: true, expression, usesGroups: parser.usesGroups };
  } catch (error) {
    if (error instanceof UnreadableExpression) return { ok: false, reason: error.message };
    throw error;
  }
}

class Parser {
  private i = 0;
  usesGroups = false;
  constructor(private readonly tokens: Token[]) {}

  end(): void {
    const t = this.tokens[this.i];
    if (t !== undefined) throw new UnreadableExpression(`unexpected "${t.v}" at ${t.at}`);
  }

  expression(): OktaExpression {
    let left = this.and();
    while (this.takeOp("||") || this.takeWord("OR")) left = { kind: "logical", op: "or", left, right: this.and() };
    return left;
  }

  private and(): OktaExpression {
    let left = this.unary();
    while (this.takeOp("&&") || this.takeWord("AND")) left = { kind: "logical", op: "and", left, right: this.unary() };
    return left;
  }

  private unary(): OktaExpression {
    if (this.takeOp("!")) return { kind: "not", operand: this.unary() };
    const left = this.primary();
    const t = this.tokens[this.i];
    if (t?.t === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.v)) {
      this.i++;
      return { kind: "compare", op: t.v as CompareOp, left, right: this.primary() };
    }
    return left;
  }

  private primary(): OktaExpression {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new UnreadableExpression("the expression ends too early");
    if (t.t === "str" || t.t === "num") return { kind: "literal", value: t.v };
    if (t.t === "op") {
      if (t.v !== "(") throw new UnreadableExpression(`unexpected "${t.v}" at ${t.at}`);
      const inner = this.expression();
      this.expectOp(")");
      return inner;
    }
    if (t.v === "true" || t.v === "false") return { kind: "literal", value: t.v === "true" };
    if (t.v === "null") return { kind: "literal", value: null };
    if (t.v === "user") return this.attribute();
    if (t.v === "String") return this.stringFunction();
    if ((GROUP_FUNCTIONS as readonly string[]).includes(t.v)) return this.groupFunction(t.v as GroupFunction);
    throw new UnreadableExpression(`"${t.v}" at ${t.at} is not in the supported subset`);
  }

  /** `user.<attribute>`; a further `.` or a call (`user.x.matches(…)`, `user.isMemberOf({…})`) is refused. */
  private attribute(): OktaExpression {
    this.expectOp(".");
    const name = this.tokens[this.i++];
    if (name?.t !== "id") throw new UnreadableExpression("user. must be followed by an attribute name");
    const next = this.tokens[this.i];
    if (next?.t === "op" && (next.v === "." || next.v === "(")) throw new UnreadableExpression(`user.${name.v}${next.v} at ${next.at}: method calls are not in the supported subset`);
    return { kind: "attribute", name: name.v };
  }

  private stringFunction(): OktaExpression {
    this.expectOp(".");
    const name = this.tokens[this.i++];
    if (name?.t !== "id" || !(name.v in STRING_FUNCTIONS)) throw new UnreadableExpression(`String.${name?.v ?? ""} is not in the supported subset`);
    const fn = name.v as StringFunction;
    const args = this.arguments(() => this.expression());
    if (args.length !== STRING_FUNCTIONS[fn]) throw new UnreadableExpression(`String.${fn} takes ${STRING_FUNCTIONS[fn]} arguments, not ${args.length}`);
    return { kind: "string", fn, args };
  }

  private groupFunction(fn: GroupFunction): OktaExpression {
    const args = this.arguments(() => {
      const t = this.tokens[this.i++];
      if (t?.t !== "str") throw new UnreadableExpression(`${fn} takes string literals`);
      return t.v;
    });
    if (args.length === 0 || (fn !== "isMemberOfAnyGroup" && args.length !== 1)) throw new UnreadableExpression(`${fn} given ${args.length} arguments`);
    this.usesGroups = true;
    return { kind: "group", fn, args };
  }

  private arguments<T>(one: () => T): T[] {
    this.expectOp("(");
    const args: T[] = [];
    if (this.takeOp(")")) return args;
    do args.push(one());
    while (this.takeOp(","));
    this.expectOp(")");
    return args;
  }

  private takeOp(op: string): boolean {
    const t = this.tokens[this.i];
    if (t?.t === "op" && t.v === op) {
      this.i++;
      return true;
    }
    return false;
  }

  private takeWord(word: string): boolean {
    const t = this.tokens[this.i];
    if (t?.t === "id" && t.v.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectOp(op: string): void {
    const t = this.tokens[this.i];
    if (!this.takeOp(op)) throw new UnreadableExpression(t === undefined ? `expected "${op}" at the end` : `expected "${op}" at ${t.at}, found "${t.v}"`);
  }
}
