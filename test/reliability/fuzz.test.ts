import { create, type DescMethod, type DescService, ScalarType, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { Code, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import type { FakeOkta, GroundTruth, RequestLogEntry } from "../fake-okta/index.js";
import type { RunningConnector } from "../support/sync-helpers.js";
import { HOSTILE_IDS, LONG_STRING, messageArb, sizeArb, tamper, type FuzzPools } from "./support/fuzz-arbitraries.js";
import { type FuzzTarget, type IssuedTokens, startFuzzTarget } from "./support/fuzz-target.js";
import { type CallOutcome, OK, createRawCaller, createTypedCaller, lengthDelimitedField } from "./support/fuzz-call.js";
import { createCoverageLedger, fuzzRegistry, methodKey, registeredServices } from "./support/fuzz-methods.js";
import { allowedCodes, effectiveWritesIn, isIntendedOktaRequest, judgeOutcome, writesIn } from "./support/fuzz-oracle.js";

/**
 * Hostile input on every RPC the connector serves (issue 8 §3). Each fuzzed call must end with a code
 * the method allows (never INTERNAL, UNKNOWN or a transport failure), a message that starts with the
 * offending request field, and only Okta requests to Okta's routes with well-formed ids; a refused
 * call writes nothing. fast-check runs with a fixed seed so a failure replays exactly.
 */
const FUZZ_SEED = 80_303;
const SCHEMA_RUNS = 30;
const TARGETED_RUNS = 60;

let target: FuzzTarget;
let fake: FakeOkta;
let truth: GroundTruth;
let connector: RunningConnector;
let transport: Transport;
let services: readonly DescService[];
let pools: FuzzPools;
let sample: FuzzTarget["sample"];
let tokens: IssuedTokens;
let typedCall: ReturnType<typeof createTypedCaller>;
let raw: ReturnType<typeof createRawCaller>;
const ledger = createCoverageLedger();
/** Okta requests the path oracle judged, so a run where no fuzzed call reached Okta cannot pass unnoticed. */
let oktaRequestsJudged = 0;

const methodNamed = (key: string): DescMethod => {
  const [service, name] = key.split("/") as [string, string];
  const method = fuzzRegistry.getService(service)?.methods.find((m) => m.name === name);
  if (!method) throw new Error(`no method ${key}`);
  return method;
};

/** Health.Watch sends the status once and then waits for a change, so one message is the whole answer. */
const maxMessagesOf = (method: DescMethod): number => (method.name === "Watch" ? 1 : 2);

interface Observed {
  readonly outcome: CallOutcome;
  readonly requests: RequestLogEntry[];
  readonly problems: string[];
}

/** Judges a call's outcome and the Okta requests it caused, and records it in the coverage ledger. */
async function observe(method: DescMethod, run: () => Promise<CallOutcome>): Promise<Observed> {
  const before = fake.requestLog().length;
  const outcome = await run();
  const requests = fake.requestLog().slice(before);
  ledger.record(method, outcome.code);
  const problems = judgeOutcome(method, outcome);
  oktaRequestsJudged += requests.length;
  for (const r of requests) if (!isIntendedOktaRequest(r)) problems.push(`Okta request off the routes: ${r.method} ${r.path}`);
  if (outcome.code !== OK && effectiveWritesIn(requests).length > 0) {
    problems.push(`refused call changed Okta: ${effectiveWritesIn(requests).map((r) => `${r.method} ${r.path}`).join(", ")}`);
  }
  return { outcome, requests, problems };
}

const typed = (method: DescMethod, init: Record<string, unknown>) => observe(method, () => typedCall(method, init, maxMessagesOf(method)));
const rawBytes = (method: DescMethod, bytes: Uint8Array) => observe(method, () => raw.call(method, bytes, maxMessagesOf(method)));

beforeAll(async () => {
  target = await startFuzzTarget();
  ({ fake, truth, connector, transport, services, pools, sample, tokens } = target);
  typedCall = createTypedCaller(transport);
  raw = createRawCaller(connector.process.address);
}, 120_000);

afterAll(async () => {
  raw?.close();
  await target?.close();
}, 60_000);

describe("the Okta path oracle", () => {
  it.each([
    ["GET", "/api/v1/groups/00g1abc/users?limit=1000&after=00u2", true],
    ["GET", "/api/v1/iam/resource-sets/iam1/bindings/cr0X/members?limit=100", true],
    ["POST", "/api/v1/users/00u1/roles", true],
    ["GET", "/api/v1/users/00u1/lifecycle/suspend", true],
    ["GET", "/api/v1/groups/00g1/../users", false],
    ["GET", "/api/v1/groups/00g1%2F..%2Fusers", false],
    ["GET", "/api/v1/groups/00g1/users?limit=1#x", false],
    ["GET", "/api/v1/groups/00g1?limit=1/users", false],
    ["GET", "/api/v1/users/00u%20x", false],
    ["GET", "/api/v1/users?q=a&x=b c", false],
    ["DELETE", "/api/v1/groups/00g1/users/00u1/extra", false],
  ] as const)("judges %s %s intended: %s", (method, path, intended) => {
    expect(isIntendedOktaRequest({ method, path, status: 200, bucket: "other", level: "super_admin" })).toBe(intended);
  });
});

describe("regressions for what the fuzzer found", { timeout: 60_000 }, () => {
  const userId = () => truth.users.find((u) => u.status === "ACTIVE")!.id;
  const okGroup = () => truth.groups.find((g) => g.type === "OKTA_GROUP")!.id;
  const on = (resourceType: string, resource: string) => ({ resource: { id: { resourceType, resource } } });

  it.each([
    // Read paths passed request ids to the Okta layer, whose message named its own parameter ("groupId").
    ["ListGrants on a group", "c1.connector.v2.GrantsService/ListGrants", on("group", "00g1/../users"), "resource.id.resource \"00g1/../users\" is not a valid Okta group id"],
    ["ListGrants on an app", "c1.connector.v2.GrantsService/ListGrants", on("app", "0oa1?x=1"), "resource.id.resource \"0oa1?x=1\" is not a valid Okta app id"],
    ["ListGrants on a resource set", "c1.connector.v2.GrantsService/ListGrants", on("resource-set", "iam1%2F"), "resource.id.resource \"iam1%2F\" is not a valid Okta resourceSet id"],
    ["ListGrants on a binding", "c1.connector.v2.GrantsService/ListGrants", on("resourceset-binding", "iam1:.."), "resource.id.resource (custom role) \"..\" is not a valid Okta customRole id"],
    ["StreamGrants on a group", "oktaconnector.v1.ConnectorStreamService/StreamGrants", on("group", "00g1#x"), "resource.id.resource \"00g1#x\" is not a valid Okta group id"],
    ["GetResource of a user", "c1.connector.v2.ResourceGetterService/GetResource", { resourceId: { resourceType: "user", resource: "00u x" } }, "resource_id.resource \"00u x\" is not a valid Okta user id"],
    ["GetResource of an app", "c1.connector.v2.ResourceGetterService/GetResource", { resourceId: { resourceType: "app", resource: ".." } }, "resource_id.resource \"..\" is not a valid Okta app id"],
  ])("names the request field when %s has a malformed id", async (_name, key, init, message) => {
    const { outcome, requests, problems } = await typed(methodNamed(key), init);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(outcome).toMatchObject({ code: Code.InvalidArgument, message });
  });

  it("names the request field when Okta does not have the resource or principal (404)", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["oktaconnector.v1.ConnectorStreamService/StreamGrants", on("group", "00gUnknownGroup000001"), /^resource\.id\.resource: HTTP 404 /],
      ["c1.connector.v2.GrantsService/ListGrants", on("group", "00gUnknownGroup000001"), /^resource\.id\.resource: HTTP 404 /],
      ["c1.connector.v2.ResourceGetterService/GetResource", { resourceId: { resourceType: "group", resource: "00gUnknownGroup000001" } }, /^resource_id: group "00gUnknownGroup000001" not found$/],
    ];
    const entitlementOf = async (type: string, id: string) => (await connector.clients.entitlements.listEntitlements(on(type, id))).list[0]!;
    const grant = "c1.connector.v2.GrantManagerService/Grant";
    const role = await entitlementOf("role", sample.get("role")![0]!.id!.resource);
    const app = await entitlementOf("app", truth.apps[0]!.id);
    cases.push(
      [grant, { entitlement: role, principal: { id: { resourceType: "group", resource: "00gUnknownGroup000001" } } }, /^principal\.id\.resource: Okta has no group "00gUnknownGroup000001"$/],
      [grant, { entitlement: app, principal: { id: { resourceType: "group", resource: "00gUnknownGroup000001" } } }, /^principal\.id\.resource: Okta has no group "00gUnknownGroup000001"$/],
      [grant, { entitlement: await entitlementOf("group", okGroup()), principal: { id: { resourceType: "user", resource: "00uUnknownUser0000001" } } }, /^principal\.id\.resource: Okta has no user "00uUnknownUser0000001"$/],
      [grant, { entitlement: await entitlementOf("group", "00gUnknownGroup000001"), principal: { id: { resourceType: "user", resource: userId() } } }, /^entitlement\.resource\.id\.resource: Okta has no group "00gUnknownGroup000001"$/],
    );
    for (const [key, init, message] of cases) {
      const { outcome, requests, problems } = await typed(methodNamed(key), init);
      expect(problems, key).toEqual([]);
      expect(outcome.code, `${key}: ${outcome.message}`).toBe(Code.NotFound);
      expect(outcome.message).toMatch(message);
      expect(effectiveWritesIn(requests)).toEqual([]);
    }
  });

  it("echoes at most 256 bytes of an unknown asset id (a 100 kB trailer resets the HTTP/2 connection)", async () => {
    const { outcome, problems } = await typed(methodNamed("c1.connector.v2.AssetService/GetAsset"), { asset: { id: LONG_STRING } });
    expect(problems).toEqual([]);
    expect(outcome.code).toBe(Code.NotFound);
    expect(outcome.message).toBe(`asset.id: unknown asset "${"x".repeat(256)}"`);
  });
});

describe(`schema-driven fuzz of every served method (seed ${FUZZ_SEED})`, { timeout: 120_000 }, () => {
  it("finds the c1 services, the stream service, health and reflection on the server", () => {
    const names = services.map((s) => s.typeName);
    expect(names).toEqual(expect.arrayContaining(["c1.connector.v2.ConnectorService", "c1.connector.v2.GrantManagerService", "oktaconnector.v1.ConnectorStreamService", "grpc.health.v1.Health"]));
    expect(services.flatMap((s) => s.methods).length).toBeGreaterThan(30);
  });

  it("answers random requests built from each method's schema with an allowed code naming a request field", async () => {
    const failures: string[] = [];
    for (const method of services.flatMap((s) => s.methods)) {
      try {
        await fc.assert(
          fc.asyncProperty(messageArb(method.input, pools), async (init) => {
            const { problems } = await typed(method, init);
            if (problems.length > 0) throw new Error(problems.join("; "));
          }),
          { seed: FUZZ_SEED, numRuns: SCHEMA_RUNS, endOnFailure: true },
        );
      } catch (error) {
        const counterexample = /Counterexample: (.*)/.exec((error as Error).message)?.[1]?.slice(0, 400) ?? "";
        failures.push(`${methodKey(method)}: ${String(((error as Error).cause as Error | undefined)?.message ?? error).slice(0, 600)}\n  for ${counterexample}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe(`targeted hostile input (seed ${FUZZ_SEED})`, { timeout: 120_000 }, () => {
  const listResources = () => methodNamed("c1.connector.v2.ResourcesService/ListResources");
  const listEntitlements = () => methodNamed("c1.connector.v2.EntitlementsService/ListEntitlements");
  const listGrants = () => methodNamed("c1.connector.v2.GrantsService/ListGrants");

  it("refuses tampered, truncated and foreign page tokens with INVALID_ARGUMENT naming page_token", async () => {
    const group = sample.get("group")![0]!;
    const user = sample.get("user")![0]!;
    const cases = fc.oneof(
      // A token from the user listing replayed on another type's listing, or on a resource's listings.
      fc.record({ token: fc.constant(tokens.users), target: fc.constantFrom("group", "app", "role", "entitlements", "grants") }),
      fc.record({ token: fc.constant(tokens.appGrants), target: fc.constantFrom("user", "group", "entitlements") }),
      fc.record({ token: fc.constantFrom(tokens.stream, tokens.sync), target: fc.constantFrom("user", "grants") }),
      fc.record({ token: fc.nat().map((at) => tamper(tokens.users, at)), target: fc.constant("user") }),
      fc.record({ token: fc.nat().map((at) => tamper(tokens.appGrants, at)), target: fc.constant("grants") }),
      fc.record({ token: fc.nat({ max: 30 }).map((n) => tokens.users.slice(0, n)).filter((t) => t !== ""), target: fc.constant("user") }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ token, target }) => {
        const [method, init] =
          target === "entitlements"
            ? [listEntitlements(), { resource: user, pageToken: token }]
            : target === "grants"
              ? [listGrants(), { resource: group, pageToken: token }]
              : [listResources(), { resourceTypeId: target, pageToken: token }];
        const { outcome, problems } = await typed(method, init);
        expect(problems).toEqual([]);
        expect(outcome.code).toBe(Code.InvalidArgument);
        expect(outcome.message).toMatch(/^page_token: /);
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
  });

  it("answers page_size up to 250 and refuses larger ones with INVALID_ARGUMENT naming page_size", async () => {
    await fc.assert(
      fc.asyncProperty(sizeArb(), fc.constantFrom("user", "group", "app"), async (pageSize, type) => {
        const { outcome, problems } = await typed(listResources(), { resourceTypeId: type, pageSize });
        expect(problems).toEqual([]);
        if (pageSize <= 250) expect(outcome.code).toBe(OK);
        else expect(outcome.message).toBe(`page_size: ${pageSize} exceeds 250`);
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
  });

  it("refuses batch_size over 10,000 on every stream method with INVALID_ARGUMENT naming batch_size", async () => {
    const user = sample.get("user")![0]!;
    const streams: [string, Record<string, unknown>][] = [
      ["StreamResources", { resourceTypeId: "user" }],
      ["StreamEntitlements", { resource: user }],
      ["StreamGrants", { resource: sample.get("group")![0]! }],
      ["Sync", {}],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...streams), fc.integer({ min: 10_001, max: 2 ** 32 - 1 }), async ([name, init], batchSize) => {
        const { outcome, problems } = await typed(methodNamed(`oktaconnector.v1.ConnectorStreamService/${name}`), { ...init, batchSize });
        expect(problems).toEqual([]);
        expect(outcome.code).toBe(Code.InvalidArgument);
        expect(outcome.message).toBe(`batch_size: ${batchSize} exceeds 10000`);
      }),
      { seed: FUZZ_SEED, numRuns: 20 },
    );
  });

  it("refuses garbage, tampered and foreign Sync cursors naming resume_cursor", async () => {
    const cursors = fc.oneof(
      fc.nat().map((at) => tamper(tokens.sync, at)),
      fc.constantFrom(tokens.users, tokens.appGrants, tokens.stream),
      fc.constantFrom(...HOSTILE_IDS.filter((s) => s !== "")),
      fc.base64String({ minLength: 4, maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(cursors, async (resumeCursor) => {
        const { outcome, problems } = await typed(methodNamed("oktaconnector.v1.ConnectorStreamService/Sync"), { resumeCursor });
        expect(problems).toEqual([]);
        expect([Code.InvalidArgument, Code.FailedPrecondition]).toContain(outcome.code);
        expect(outcome.message).toMatch(/^resume_cursor: /);
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
  });

  it("answers unknown resource types with NOT_FOUND naming the type field", async () => {
    const unknownType = fc.oneof(fc.constantFrom("printer", "USER", "user ", "user/..", "group%2F", "ünïcødé"), fc.stringMatching(/^[a-z]{1,12}$/)).filter((t) => !pools.resourceTypes.includes(t));
    const calls: [string, (t: string) => Record<string, unknown>, string][] = [
      ["c1.connector.v2.ResourcesService/ListResources", (t) => ({ resourceTypeId: t }), "resource_type_id"],
      ["c1.connector.v2.EntitlementsService/ListStaticEntitlements", (t) => ({ resourceTypeId: t }), "resource_type_id"],
      ["c1.connector.v2.EntitlementsService/ListEntitlements", (t) => ({ resource: { id: { resourceType: t, resource: "00u1" } } }), "resource.id.resource_type"],
      ["c1.connector.v2.GrantsService/ListGrants", (t) => ({ resource: { id: { resourceType: t, resource: "00u1" } } }), "resource.id.resource_type"],
      ["c1.connector.v2.ResourceGetterService/GetResource", (t) => ({ resourceId: { resourceType: t, resource: "00u1" } }), "resource_id.resource_type"],
      ["c1.connector.v2.ResourceDeleterService/DeleteResourceV2", (t) => ({ resourceId: { resourceType: t, resource: "00u1" } }), "resource_id.resource_type"],
      ["c1.connector.v2.AccountManagerService/CreateAccount", (t) => ({ resourceTypeId: t, accountInfo: { login: "x@example.com" } }), "resource_type_id"],
      ["oktaconnector.v1.ConnectorStreamService/StreamResources", (t) => ({ resourceTypeId: t }), "resource_type_id"],
      ["oktaconnector.v1.ConnectorStreamService/StreamGrants", (t) => ({ resource: { id: { resourceType: t, resource: "00u1" } } }), "resource.id.resource_type"],
      [
        "c1.connector.v2.GrantManagerService/Grant",
        (t) => ({ entitlement: { id: `${t}:x1:member`, resource: { id: { resourceType: t, resource: "x1" } } }, principal: { id: { resourceType: "user", resource: "00u1" } } }),
        "entitlement.resource.id.resource_type",
      ],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...calls), unknownType, async ([key, init, field], type) => {
        const { outcome, problems } = await typed(methodNamed(key), init(type));
        expect(problems).toEqual([]);
        expect(outcome.code, outcome.message).toBe(Code.NotFound);
        expect(outcome.message.startsWith(`${field}: `), outcome.message).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
  });

  it("never lets a hostile resource id reach an Okta path, and names the id field when refusing it", async () => {
    const hostile = fc.oneof(fc.constantFrom(...HOSTILE_IDS.filter((s) => s !== "")), fc.string({ minLength: 1, maxLength: 12 }).map((s) => `00u${s}/..`));
    const types = pools.resourceTypes;
    // The calls that build their answer from the id without asking Okta must refuse a hostile id
    // themselves (issue 13: ListEntitlements echoed `../00u1\u0000?x#y` into entitlement ids), and no
    // type has parents, so every parent_resource_id is refused.
    const mustRefuse = new Set(["c1.connector.v2.EntitlementsService/ListEntitlements", "oktaconnector.v1.ConnectorStreamService/StreamEntitlements", "c1.connector.v2.ResourcesService/ListResources"]);
    const calls: [string, (type: string, id: string) => Record<string, unknown>, string][] = [
      ["c1.connector.v2.EntitlementsService/ListEntitlements", (type, id) => ({ resource: { id: { resourceType: type, resource: id } } }), "resource.id.resource"],
      ["c1.connector.v2.GrantsService/ListGrants", (type, id) => ({ resource: { id: { resourceType: type, resource: id } } }), "resource.id.resource"],
      ["c1.connector.v2.ResourceGetterService/GetResource", (type, id) => ({ resourceId: { resourceType: type, resource: id } }), "resource_id.resource"],
      ["c1.connector.v2.ResourcesService/ListResources", (type, id) => ({ resourceTypeId: "user", parentResourceId: { resourceType: type, resource: id } }), "parent_resource_id"],
      ["oktaconnector.v1.ConnectorStreamService/StreamEntitlements", (type, id) => ({ resource: { id: { resourceType: type, resource: id } } }), "resource.id.resource"],
      ["oktaconnector.v1.ConnectorStreamService/StreamGrants", (type, id) => ({ resource: { id: { resourceType: type, resource: id } } }), "resource.id.resource"],
      ["c1.connector.v2.ResourceDeleterService/DeleteResourceV2", (type, id) => ({ resourceId: { resourceType: type, resource: id } }), "resource_id.resource"],
      ["c1.connector.v2.ResourceManagerService/DeleteResource", (type, id) => ({ resourceId: { resourceType: type, resource: id } }), "resource_id.resource"],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...calls), fc.constantFrom(...types), hostile, async ([key, init, field], type, id) => {
        const method = methodNamed(key);
        const { outcome, requests, problems } = await typed(method, init(type, id));
        expect(problems).toEqual([]);
        expect(writesIn(requests)).toEqual([]);
        if (mustRefuse.has(key)) expect([outcome.code, outcome.message.startsWith(field)], `${key} ${type} ${JSON.stringify(id)}: ${outcome.message}`).toEqual([Code.InvalidArgument, true]);
        // OK is right only where the id never reaches Okta (a type whose listings are computed locally).
        if (outcome.code === Code.InvalidArgument || outcome.code === Code.NotFound) {
          // A well-formed id that Okta does not have may be named by its message (`resource_id: user "…" not found`).
          const named = outcome.code === Code.NotFound ? field.slice(0, field.lastIndexOf(".")) : field;
          expect(outcome.message.startsWith(named), `${key} ${type} ${JSON.stringify(id)}: ${outcome.message}`).toBe(true);
        } else {
          expect(allowedCodes(method)).toContain(outcome.code);
        }
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
  });

  it("answers a 100,000-character value in every top-level string field and keeps the connection usable", async () => {
    const failures: string[] = [];
    const health = createClient(Health, transport);
    for (const method of services.flatMap((s) => s.methods)) {
      for (const field of method.input.fields.filter((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING && f.oneof === undefined)) {
        const init = { [field.localName]: LONG_STRING };
        const { outcome, problems } = await typed(method, init);
        if (problems.length > 0) failures.push(`${methodKey(method)} ${field.name}: ${problems.join("; ")}`);
        // A status message that echoes the value would not fit an HTTP/2 trailer and reset the connection.
        if (outcome.message.length > 4096) failures.push(`${methodKey(method)} ${field.name}: ${outcome.message.length}-character status message`);
        const after = await health.check({ service: "" }).then((r) => r.status, (error: unknown) => String(error));
        if (after !== HealthCheckResponse_ServingStatus.SERVING) failures.push(`${methodKey(method)} ${field.name}: the next call failed: ${after}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers Health.Check with a 100,000-character service name as NOT_FOUND, with the name cut short in the message", async () => {
    const { outcome } = await typed(methodNamed("grpc.health.v1.Health/Check"), { service: LONG_STRING });
    expect(outcome.code).toBe(Code.NotFound);
    expect(outcome.message.length).toBeLessThan(400);
  });

  it("refuses principals of the wrong type and entitlements missing their resource, writing nothing", async () => {
    const grant = methodNamed("c1.connector.v2.GrantManagerService/Grant");
    const entitlements = await Promise.all(
      ["group", "app", "role"].map(async (type) => (await connector.clients.entitlements.listEntitlements({ resource: sample.get(type)![0]! })).list[0]!),
    );
    // Apps take user and group principals, roles those and service apps; group membership takes users only.
    const wrongFor = (entitlement: (typeof entitlements)[number]) => {
      const type = entitlement.resource!.id!.resourceType;
      return [...pools.resourceTypes, "printer"].filter((t) => t !== "user" && (t !== "group" || type === "group") && (t !== "service-app" || type !== "role"));
    };
    const cases = fc.constantFrom(...entitlements).chain((entitlement) => fc.tuple(fc.constant(entitlement), fc.constantFrom(...wrongFor(entitlement)), fc.constantFrom(...pools.resourceIds)));
    await fc.assert(
      fc.asyncProperty(cases, async ([entitlement, principalType, principalId]) => {
        const { outcome, requests, problems } = await typed(grant, { entitlement, principal: { id: { resourceType: principalType, resource: principalId } } });
        expect(problems).toEqual([]);
        expect(writesIn(requests)).toEqual([]);
        expect(outcome.code, outcome.message).toBe(Code.InvalidArgument);
        expect(outcome.message).toMatch(new RegExp(`^principal\\.id\\.resource_type: "${principalType}" cannot hold this entitlement`));
      }),
      { seed: FUZZ_SEED, numRuns: TARGETED_RUNS },
    );
    const missing: [string, Record<string, unknown>, string][] = [
      ["c1.connector.v2.GrantManagerService/Grant", {}, "entitlement: is required"],
      ["c1.connector.v2.GrantManagerService/Grant", { entitlement: { id: entitlements[0]!.id } }, "entitlement.resource: is required"],
      ["c1.connector.v2.GrantManagerService/Grant", { entitlement: { id: entitlements[0]!.id, resource: {} } }, "entitlement.resource.id: is required"],
      ["c1.connector.v2.GrantManagerService/Grant", { entitlement: entitlements[0]! }, "principal: is required"],
      ["c1.connector.v2.GrantManagerService/Grant", { entitlement: entitlements[0]!, principal: {} }, "principal.id: is required"],
      ["c1.connector.v2.GrantManagerService/Revoke", {}, "grant: is required"],
      ["c1.connector.v2.GrantManagerService/Revoke", { grant: { id: "x" } }, "grant.entitlement: is required"],
      ["c1.connector.v2.EntitlementsService/ListEntitlements", {}, "resource: is required"],
      ["c1.connector.v2.GrantsService/ListGrants", { resource: {} }, "resource.id: is required"],
      ["c1.connector.v2.ResourceGetterService/GetResource", {}, "resource_id: is required"],
      ["c1.connector.v2.AccountManagerService/CreateAccount", {}, "account_info: is required"],
      ["oktaconnector.v1.ConnectorStreamService/StreamGrants", {}, "resource: is required"],
    ];
    for (const [key, init, message] of missing) {
      const { outcome, problems } = await typed(methodNamed(key), init);
      expect(problems, key).toEqual([]);
      expect({ key, code: outcome.code, message: outcome.message }).toEqual({ key, code: Code.InvalidArgument, message });
    }
  });
});

describe(`byte-level input (seed ${FUZZ_SEED})`, { timeout: 120_000 }, () => {
  /** A method's first plain string field: the one the invalid UTF-8 goes into, and the error must name. */
  const firstStringField = (method: DescMethod) => method.input.fields.find((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING && f.oneof === undefined);
  const invalidUtf8 = fc.constantFrom(new Uint8Array([0xff]), new Uint8Array([0xc3, 0x28]), new Uint8Array([0x61, 0xed, 0xa0, 0x80]), new Uint8Array([0xf4, 0x90, 0x80, 0x80]), new Uint8Array([0xe2, 0x82]));
  /**
   * Bytes protobuf-es cannot decode (invalid UTF-8, truncation) are refused before any handler runs;
   * the decoder does not say which field, so the message names the request as a whole.
   */
  const isUndecodable = (o: CallOutcome) => o.code === Code.InvalidArgument && o.message.startsWith("request: not a valid protobuf message for this method: ");

  it("never lets invalid UTF-8 reach a handler or Okta, on every method with a string field", async () => {
    const failures: string[] = [];
    for (const method of services.flatMap((s) => s.methods)) {
      const field = firstStringField(method);
      if (!field) continue;
      await fc.assert(
        fc.asyncProperty(invalidUtf8, async (bytes) => {
          const { outcome, requests } = await rawBytes(method, lengthDelimitedField(field.number, bytes));
          if (requests.length > 0) failures.push(`${methodKey(method)} called Okta with invalid UTF-8 in ${field.name}`);
          const named = outcome.code === Code.InvalidArgument && outcome.message.startsWith(`${field.name}: `);
          if (!named && !isUndecodable(outcome)) failures.push(`${methodKey(method)} ${field.name}: ${Code[outcome.code] ?? "OK"} ${outcome.message.slice(0, 200)}`);
        }),
        { seed: FUZZ_SEED, numRuns: 3 },
      );
    }
    expect([...new Set(failures)]).toEqual([]);
  });

  it("answers truncated messages and unknown fields with an allowed code on every method", async () => {
    const failures: string[] = [];
    for (const method of services.flatMap((s) => s.methods)) {
      await fc.assert(
        fc.asyncProperty(messageArb(method.input, pools, 2), fc.nat(), fc.integer({ min: 1000, max: 5000 }), async (init, cut, unknownField) => {
          const bytes = toBinary(method.input, create(method.input, init));
          const truncated = bytes.length > 1 ? bytes.subarray(0, 1 + (cut % (bytes.length - 1))) : new Uint8Array([0x0a]);
          const truncatedCall = await rawBytes(method, truncated);
          if (!isUndecodable(truncatedCall.outcome) && truncatedCall.problems.length > 0) failures.push(`${methodKey(method)} truncated: ${truncatedCall.problems.join("; ")}`);
          // Unknown fields are legal protobuf (a newer engine's request): they must change nothing.
          const extended = await rawBytes(method, Buffer.concat([bytes, lengthDelimitedField(unknownField, Buffer.from("unknown"))]));
          if (extended.problems.length > 0) failures.push(`${methodKey(method)} unknown field: ${extended.problems.join("; ")}`);
        }),
        { seed: FUZZ_SEED, numRuns: 4 },
      );
    }
    expect([...new Set(failures)]).toEqual([]);
  });

  it("answers truncated messages over the Connect and gRPC-web protocols with INVALID_ARGUMENT too, on every unary and server-streaming method", async () => {
    // The main port serves three protocols; these once answered INTERNAL where gRPC answered INVALID_ARGUMENT.
    const baseUrl = `http://${connector.process.address}`;
    const protocols: [string, Transport][] = [
      ["Connect", createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true })],
      ["gRPC-web", createGrpcWebTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true })],
    ];
    const failures: string[] = [];
    for (const [protocol, protocolTransport] of protocols) {
      const call = createTypedCaller(protocolTransport);
      for (const method of services.flatMap((s) => s.methods).filter((m) => m.methodKind === "unary" || m.methodKind === "server_streaming")) {
        await fc.assert(
          fc.asyncProperty(messageArb(method.input, pools, 2), async (init) => {
            // A trailing field whose length prefix promises 100 bytes and delivers 3: the message ends mid-field.
            const cut = create(method.input, init);
            cut.$unknown = [{ no: 15, wireType: WireType.LengthDelimited, data: new Uint8Array([100, 0x61, 0x62, 0x63]) }];
            const { outcome, requests } = await observe(method, () => call(method, cut, maxMessagesOf(method)));
            if (requests.length > 0) failures.push(`${protocol} ${methodKey(method)} called Okta for a truncated message`);
            if (!isUndecodable(outcome)) failures.push(`${protocol} ${methodKey(method)}: ${Code[outcome.code] ?? "OK"} ${outcome.message.slice(0, 200)}`);
          }),
          { seed: FUZZ_SEED, numRuns: 2 },
        );
      }
    }
    expect([...new Set(failures)]).toEqual([]);
  });

  it("answers undecodable request bytes with INVALID_ARGUMENT", async () => {
    const list = methodNamed("c1.connector.v2.ResourcesService/ListResources");
    const { outcome } = await rawBytes(list, lengthDelimitedField(1, new Uint8Array([0xff])));
    expect(outcome.code).toBe(Code.InvalidArgument);
  });

  it("refuses a 100,000-character id with INVALID_ARGUMENT naming it, and a 5 MiB request with RESOURCE_EXHAUSTED", async () => {
    const list = methodNamed("c1.connector.v2.ResourcesService/ListResources");
    const long = await typed(list, { resourceTypeId: LONG_STRING });
    expect(long.problems).toEqual([]);
    expect(long.outcome).toMatchObject({ code: Code.InvalidArgument, message: "resource_type_id: is 100000 bytes, more than 1024" });

    const oversize = await raw.call(list, lengthDelimitedField(1, Buffer.alloc(5 * 1024 * 1024, 0x61)));
    expect(oversize.code).toBe(Code.ResourceExhausted);
  });
});

describe("after the fuzzing", { timeout: 60_000 }, () => {
  it("fuzzed every method the server registers", () => {
    expect(ledger.uncovered(services, 1)).toEqual([]);
  });

  it("got past validation: the listing methods answered both OK and refusals", () => {
    // A fuzzer whose every request fails the first check proves little about the code behind it.
    const listings = ["ResourcesService/ListResources", "EntitlementsService/ListEntitlements", "GrantsService/ListGrants", "ResourceGetterService/GetResource"];
    for (const name of listings) {
      const codes = ledger.codes(methodNamed(`c1.connector.v2.${name}`));
      expect(codes.get(OK) ?? 0, `${name} OK answers`).toBeGreaterThan(0);
      expect((codes.get(Code.InvalidArgument) ?? 0) + (codes.get(Code.NotFound) ?? 0), `${name} refusals`).toBeGreaterThan(0);
    }
    expect(oktaRequestsJudged).toBeGreaterThan(100);
    // FUZZ_REPORT=1 prints how each method answered, to see what a change of arbitraries reaches.
    if (process.env.FUZZ_REPORT) {
      for (const method of services.flatMap((s) => s.methods)) {
        console.log(methodKey(method), JSON.stringify(Object.fromEntries([...ledger.codes(method)].map(([c, n]) => [Code[c] ?? "OK", n]))));
      }
    }
  });

  it("left the server alive, SERVING, and without an uncaught exception on stderr", async () => {
    expect(connector.process.child.exitCode).toBeNull();
    const health = createClient(Health, transport);
    expect((await health.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(connector.process.stderr()).not.toMatch(/Uncaught|UnhandledPromiseRejection|\n\s+at .+:\d+:\d+\)?\n/);
    // Handlers that threw something other than a ConnectError. (The fuzzer cancels Sync streams after two
    // messages; those are logged as "canceled", not as unexpected failures.)
    const internal = connector.process.logLines().filter((l) => l.msg === "rpc failed unexpectedly");
    const summary = (l: Record<string, unknown>) => `${JSON.stringify(l.rpc)}: ${String((l.err as { message?: string } | undefined)?.message)}`;
    expect([...new Set(internal.map(summary))]).toEqual([]);
  });
});
