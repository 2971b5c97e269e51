import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

/**
 * Offline validation of deploy/kubernetes/: every document against the vendored, trimmed Kubernetes
 * schemas (test/deploy/schemas/, strict like `kubeconform -strict`), then the rules the example exists
 * to show (native sidecar, gRPC probes on the probe port, token from a mounted Secret, locked-down
 * security context, a grace period that covers preStop and drain, sized resources, scrape annotations).
 * Both return problems as lines naming the file, the object and the field; no problem means valid.
 */

export interface Manifest {
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly doc: KubeObject;
}

/** A parsed Kubernetes object, read loosely: the schema check comes first and proves the shapes. */
export type KubeObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; annotations?: Record<string, string> }; [key: string]: unknown };

const SCHEMA_PATH = join(import.meta.dirname, "../schemas/kubernetes-1.33-trimmed.json");

/** Reads every .yaml/.yml file of `dir`; YAML syntax errors are problems too. */
export function loadManifests(dir: string): { manifests: Manifest[]; problems: string[] } {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    parseManifestText(file, readFileSync(join(dir, file), "utf8"), manifests, problems);
  }
  return { manifests, problems };
}

/** Parses one file's text (the tests feed altered copies through here). */
export function parseManifestText(file: string, text: string, into: Manifest[] = [], problems: string[] = []): Manifest[] {
  parseAllDocuments(text).forEach((document, index) => {
    if (document.errors.length > 0) {
      problems.push(`${file}#${index}: YAML: ${document.errors[0]!.message.split("\n")[0]}`);
      return;
    }
    const doc = document.toJS() as unknown;
    if (doc === null || doc === undefined) return;
    into.push({ file, index, doc: doc as KubeObject });
  });
  return into;
}

let compiled: { schema: { "x-kubernetes-kinds": Record<string, string> }; validators: Map<string, ValidateFunction> } | undefined;

function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as { "$id": string; "x-kubernetes-kinds": Record<string, string> };
    // strictRequired off: the oneOf and not branches name fields declared by their enclosing object.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    ajv.addVocabulary(["x-kubernetes-kinds"]);
    ajv.addSchema(schema);
    const validators = new Map<string, ValidateFunction>();
    for (const [key, definition] of Object.entries(schema["x-kubernetes-kinds"])) {
      validators.set(key, ajv.getSchema(`${schema.$id}#/definitions/${definition}`)!);
    }
    compiled = { schema, validators };
  }
  return compiled.validators.get(`${apiVersion}/${kind}`);
}

/** Schema problems of every manifest; an unknown apiVersion/kind is one too (kubeconform's -strict default). */
export function validateAgainstSchemas(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  for (const { file, index, doc } of manifests) {
    const where = `${file}#${index} ${doc.kind ?? "?"}/${doc.metadata?.name ?? "?"}`;
    const validate = validatorFor(String(doc.apiVersion), String(doc.kind));
    if (validate === undefined) {
      problems.push(`${where}: no schema for apiVersion ${String(doc.apiVersion)} kind ${String(doc.kind)}`);
      continue;
    }
    if (!validate(doc)) problems.push(...describeErrors(validate.errors ?? []).map((line) => `${where}: ${line}`));
  }
  return problems;
}

/**
 * ajv reports every branch of a failed oneOf; keep the errors that say something (an unknown field,
 * a wrong type, a missing field), plus the oneOf verdict itself.
 */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const at = error.instancePath === "" ? "(root)" : error.instancePath;
    if (error.keyword === "additionalProperties") lines.add(`${at}: unknown field "${String(error.params.additionalProperty)}"`);
    else if (error.keyword === "oneOf") lines.add(`${at}: must match exactly one form (e.g. one probe handler, one volume source)`);
    else if (error.keyword === "not") lines.add(`${at}: sets fields that exclude each other (e.g. value and valueFrom)`);
    else if (error.keyword === "required" && !errors.some((e) => e.keyword === "oneOf" && error.schemaPath.startsWith(e.schemaPath))) {
      lines.add(`${at}: missing field "${String(error.params.missingProperty)}"`);
    } else if (error.keyword !== "required" && error.keyword !== "if") lines.add(`${at}: ${error.message ?? error.keyword}`);
  }
  return [...lines];
}
