import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";

/** Outcome of one validation; `errors` are readable lines naming the JSON path. */
export interface OktaSpecValidation {
  ok: boolean;
  errors: string[];
}

/** Validates values against Okta's official management OpenAPI spec (shapes only, not behaviour). */
export interface OktaSpecValidator {
  /** Path of the spec file in use. */
  readonly specPath: string;
  /** Validates `value` against `components.schemas[schemaName]`. */
  validate(schemaName: string, value: unknown): OktaSpecValidation;
  /**
   * Validates a response body against the schema the spec declares for that operation and status.
   * `path` is a spec template (`/api/v1/users/{id}`) or a concrete path (`/api/v1/users/00u1?limit=2`);
   * a concrete path is matched segment by segment, literal segments winning over parameters.
   * A 204-style response without content must have an empty body.
   */
  validateResponse(method: string, path: string, status: number, body: unknown): OktaSpecValidation;
}

/** Either a ready validator, or the reason there is none (the spec file is absent). */
export type OktaSpecLoad = { validator: OktaSpecValidator; reason?: undefined } | { validator: null; reason: string };

type Json = Record<string, unknown>;

// The repo root is two levels up from test/fake-okta; the spec lives beside the repo, never inside it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where the shared copy of Okta's spec is expected: `../shared/okta-openapi/management.yaml` from the repo root. */
export const defaultOktaSpecPath: string = resolve(repoRoot, "..", "shared", "okta-openapi", "management.yaml");

const SPEC_ID = "okta-management";
const cache = new Map<string, OktaSpecValidator>();

/**
 * Loads and cleans Okta's spec once per process and path (parsing takes ~2 s), and compiles each schema
 * lazily on first use. Returns `{ validator: null, reason }` when the file is absent, so tests can skip.
 */
export function loadOktaSpec(path: string = defaultOktaSpecPath): OktaSpecLoad {
  const specPath = resolve(path);
  const cached = cache.get(specPath);
  if (cached) return { validator: cached };
  if (!existsSync(specPath)) {
    return { validator: null, reason: `Okta's OpenAPI spec is absent at ${specPath}; spec validation is skipped` };
  }
  const validator = createValidator(specPath);
  cache.set(specPath, validator);
  return { validator };
}

function createValidator(specPath: string): OktaSpecValidator {
  const doc = parseYaml(readFileSync(specPath, "utf8"), { maxAliasCount: -1 }) as Json;
  const components = (doc["components"] ?? {}) as Json;
  const rawSchemas = (components["schemas"] ?? {}) as Record<string, unknown>;
  const responses = (components["responses"] ?? {}) as Record<string, Json>;
  const paths = (doc["paths"] ?? {}) as Record<string, Record<string, Json>>;

  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(rawSchemas)) schemas[name] = cleanSchema(schema);

  // allErrors gives the whole picture in one run; strict is off because OpenAPI 3.0 schemas are not
  // draft-07 (annotation keywords, `type` with `$ref` siblings).
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, code: { regExp: javaStyleRegExp } });
  addFormatsModule.default(ajv);
  // Okta also uses formats no JSON Schema library knows (`base64`, `utf-8`, `boolean`): accept them as
  // annotations instead of failing the compile.
  for (const format of collectFormats(rawSchemas)) if (!(format in ajv.formats)) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });

  const compiled = new Map<string, ValidateFunction>();
  const run = (key: string, schema: () => unknown, value: unknown): OktaSpecValidation => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile(schema() as Json);
      compiled.set(key, fn);
    }
    return fn(value) ? { ok: true, errors: [] } : { ok: false, errors: formatErrors(fn.errors ?? []) };
  };

  return {
    specPath,
    validate(schemaName, value) {
      if (!(schemaName in schemas)) return { ok: false, errors: [`components.schemas has no ${schemaName}`] };
      return run(`schema:${schemaName}`, () => ({ $ref: `${SPEC_ID}#/components/schemas/${schemaName}` }), value);
    },
    validateResponse(method, path, status, body) {
      const template = matchPathTemplate(Object.keys(paths), path);
      if (!template) return { ok: false, errors: [`the spec declares no path matching ${path}`] };
      const operation = paths[template]?.[method.toLowerCase()] as Json | undefined;
      if (!operation) return { ok: false, errors: [`the spec declares no ${method.toUpperCase()} ${template}`] };
      const declared = (operation["responses"] ?? {}) as Record<string, Json>;
      const found = declared[String(status)] ?? declared[`${String(status).charAt(0)}XX`] ?? declared["default"];
      const label = `${method.toUpperCase()} ${template} (${String(operation["operationId"])})`;
      if (!found) {
        return { ok: false, errors: [`${label} declares no ${status} response (declared: ${Object.keys(declared).join(", ")})`] };
      }
      const response = resolveResponse(found, responses);
      const content = response["content"] as Record<string, Json> | undefined;
      const schema = content?.["application/json"]?.["schema"];
      if (schema === undefined) {
        const empty = body === undefined || body === null || body === "";
        return empty ? { ok: true, errors: [] } : { ok: false, errors: [`${label} ${status} declares no body, got one`] };
      }
      return run(`op:${method.toUpperCase()} ${template} ${status}`, () => cleanSchema(schema), body);
    },
  };
}

/**
 * Turns one OpenAPI 3.0 schema into a JSON Schema Ajv validates the way Okta means it. Clean-ups:
 * - `example`, `externalDocs`, `xml` and every `x-*` key go: they are documentation, and some examples
 *   hold dangling `$ref`s;
 * - `nullable: true` becomes `anyOf [null, schema]` (3.0 has no `null` type);
 * - a `oneOf` with a `discriminator.mapping` becomes an if/then dispatch on the discriminator value:
 *   the subtypes are not mutually exclusive (StandardRole and CustomRole both accept any object with a
 *   `type`), so a literal `oneOf` would reject every valid role; a discriminator on a base schema
 *   (Application) is dropped, since its subtypes `allOf` that base and a dispatch there would recurse;
 * - `writeOnly` properties leave `required`: responses never carry them;
 * - `$ref`s point into the registered spec document.
 */
function cleanSchema(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(cleanSchema);
  if (!isObject(input)) return input;
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === "example" || key === "examples" || key === "externalDocs" || key === "xml" || key.startsWith("x-")) continue;
    if (key === "nullable" || key === "discriminator") continue;
    if (key === "$ref" && typeof value === "string") out[key] = value.startsWith("#/") ? `${SPEC_ID}${value}` : value;
    else if (key === "properties" && isObject(value)) out[key] = mapValues(value, cleanSchema);
    else if (key === "enum" || key === "required" || key === "default" || key === "const") out[key] = value;
    else out[key] = cleanSchema(value);
  }
  const discriminator = input["discriminator"];
  if (Array.isArray(input["oneOf"]) && isObject(discriminator) && isObject(discriminator["mapping"])) {
    delete out["oneOf"];
    Object.assign(out, discriminatorDispatch(String(discriminator["propertyName"]), discriminator["mapping"]));
  }
  if (Array.isArray(out["required"]) && isObject(input["properties"])) {
    const props = input["properties"];
    out["required"] = out["required"].filter((name) => {
      const prop = props[String(name)];
      return !(isObject(prop) && prop["writeOnly"] === true);
    });
  }
  return input["nullable"] === true ? { anyOf: [{ type: "null" }, out] } : out;
}

function discriminatorDispatch(property: string, mapping: Json): Json {
  const valuesByTarget = new Map<string, string[]>();
  for (const [value, target] of Object.entries(mapping)) {
    valuesByTarget.set(String(target), [...(valuesByTarget.get(String(target)) ?? []), value]);
  }
  return {
    type: "object",
    required: [property],
    properties: { [property]: { enum: Object.keys(mapping) } },
    allOf: [...valuesByTarget].map(([target, values]) => ({
      if: { properties: { [property]: { enum: values } } },
      then: { $ref: `${SPEC_ID}${target}` },
    })),
  };
}

/**
 * Okta's TimeDuration (ISO 8601, `P30D`) pattern lost its lookarounds in the spec: `P(?:$)` should be
 * `P(?!$)` ("something follows P") and `T(?:\d)` should be `T(?=\d)`. As published it accepts only "P" and
 * rejects the spec's own examples (`P30D`, `PT5M` on ApiToken.tokenWindow); compile the intended one.
 */
const REPAIRED_PATTERNS: Readonly<Record<string, string>> = {
  "^P(?:$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?:\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$": "^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$",
};

/**
 * Some of Okta's `pattern`s (the Splunk token, service-account ids) open with Java's inline `(?i)`,
 * which JavaScript rejects: compile those as case-insensitive instead. Known broken ones are repaired
 * first (see {@link REPAIRED_PATTERNS}).
 */
const javaStyleRegExp = Object.assign(
  (raw: string, flags: string): RegExp => {
    const pattern = REPAIRED_PATTERNS[raw] ?? raw;
    return pattern.startsWith("(?i)") ? new RegExp(pattern.slice(4), `${flags}i`) : new RegExp(pattern, flags);
  },
  { code: "new RegExp" },
);

function resolveResponse(response: Json, responses: Record<string, Json>): Json {
  const ref = response["$ref"];
  if (typeof ref !== "string") return response;
  const name = ref.replace("#/components/responses/", "");
  return responses[name] ?? {};
}

/** Picks the spec path for a concrete or template path; literal segments beat `{param}` segments. */
function matchPathTemplate(templates: string[], path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  if (templates.includes(bare)) return bare;
  const segments = bare.split("/");
  let best: { template: string; literals: number } | undefined;
  for (const template of templates) {
    const parts = template.split("/");
    if (parts.length !== segments.length) continue;
    let literals = 0;
    const matches = parts.every((part, i) => {
      if (/^\{[^}]+\}$/.test(part)) return (segments[i] ?? "") !== "";
      literals += 1;
      return part === decodeURIComponent(segments[i] ?? "");
    });
    if (matches && (!best || literals > best.literals)) best = { template, literals };
  }
  return best?.template;
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((error) => {
    const where = error.instancePath === "" ? "(root)" : error.instancePath;
    const params = Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : "";
    return `${where} ${error.message ?? error.keyword}${params}`;
  });
}

function collectFormats(node: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const item of node) collectFormats(item, into);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "format" && typeof value === "string") into.add(value);
      else collectFormats(value, into);
    }
  }
  return into;
}

function mapValues(record: Json, fn: (value: unknown) => unknown): Json {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
