import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type KubeObject, loadManifests, type Manifest, parseManifestText, validateAgainstSchemas } from "./support/manifests.js";
import { checkSidecarRules } from "./support/sidecar-rules.js";

const DIR = join(import.meta.dirname, "../../deploy/kubernetes");
const { manifests, problems: yamlProblems } = loadManifests(DIR);

// The loose shapes the mutations below reach into.
type Pod = {
  terminationGracePeriodSeconds?: unknown;
  securityContext: { seccompProfile: { type: string } };
  initContainers: Record<string, unknown>[];
  containers: Record<string, unknown>[];
};
type Deployment = KubeObject & { spec: { template: { metadata: { annotations: Record<string, string> }; spec: Pod } } };

/** The example with one change applied to a copy of its Deployment (the Secret is kept alongside). */
function withChange(change: (deployment: Deployment) => void): Manifest[] {
  return manifests.map((m) => {
    if (m.doc.kind !== "Deployment") return m;
    const doc = structuredClone(m.doc) as Deployment;
    change(doc);
    return { ...m, doc };
  });
}
const connectorOf = (d: Deployment) => d.spec.template.spec.initContainers[0] as { args: string[]; [k: string]: unknown };
const engineOf = (d: Deployment) => d.spec.template.spec.containers[0]!;

describe("deploy/kubernetes/", () => {
  it("holds a Secret and a Deployment, all valid YAML", () => {
    expect(yamlProblems).toEqual([]);
    expect(manifests.map((m) => `${m.doc.kind}/${m.doc.metadata?.name}`).sort()).toEqual(["Deployment/okta-governance", "Secret/okta-connector"]);
  });

  it("validates against the vendored Kubernetes 1.33 schemas, strictly (no unknown field anywhere)", () => {
    expect(validateAgainstSchemas(manifests)).toEqual([]);
  });

  it("follows the sidecar rules: native sidecar on localhost, gRPC probes on the probe port, token from a Secret file, locked down, sized", () => {
    expect(checkSidecarRules(manifests)).toEqual([]);
  });
});

describe("the schema check fails on a broken manifest", () => {
  const cases: { why: string; change: (d: Deployment) => void; problem: string }[] = [
    { why: "a misspelt field", change: (d) => void (connectorOf(d)["readinessprobe"] = connectorOf(d)["readinessProbe"]), problem: '/spec/template/spec/initContainers/0: unknown field "readinessprobe"' },
    { why: "a number written as a string", change: (d) => void (d.spec.template.spec.terminationGracePeriodSeconds = "45"), problem: "/spec/template/spec/terminationGracePeriodSeconds: must be integer" },
    {
      why: "a probe with two handlers",
      change: (d) => void ((connectorOf(d)["livenessProbe"] as Record<string, unknown>)["exec"] = { command: ["true"] }),
      problem: "/spec/template/spec/initContainers/0/livenessProbe: must match exactly one form",
    },
    { why: "a container without a name", change: (d) => void delete engineOf(d)["name"], problem: '/spec/template/spec/containers/0: missing field "name"' },
    { why: "a seccomp profile type that does not exist", change: (d) => void (d.spec.template.spec.securityContext.seccompProfile.type = "Default"), problem: "/spec/template/spec/securityContext/seccompProfile/type: must be equal to one of the allowed values" },
    { why: "a restartPolicy other than Always on a container", change: (d) => void (connectorOf(d)["restartPolicy"] = "OnFailure"), problem: "/spec/template/spec/initContainers/0/restartPolicy: must be equal to one of the allowed values" },
    { why: "a kind the schemas do not know", change: (d) => void (d.kind = "DaemonSet"), problem: "no schema for apiVersion apps/v1 kind DaemonSet" },
  ];
  it.each(cases)("$why", ({ change, problem }) => {
    expect(validateAgainstSchemas(withChange(change)).join("\n")).toContain(problem);
  });

  it("reports a YAML syntax error with the file and document", () => {
    const problems: string[] = [];
    parseManifestText("broken.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: x\n", [], problems);
    expect(problems).toEqual([expect.stringMatching(/^broken\.yaml#0: YAML: /)]);
  });
});

describe("the sidecar rules fail on a manifest that breaks them", () => {
  const cases: { why: string; change: (d: Deployment) => void; problem: string }[] = [
    { why: "the connector as a plain init container", change: (d) => void delete connectorOf(d)["restartPolicy"], problem: "needs exactly one okta-connector native sidecar" },
    { why: "--listen on every interface", change: (d) => void (connectorOf(d).args[1] = "--listen=0.0.0.0:50051"), problem: "--listen 0.0.0.0:50051 must stay on loopback" },
    { why: "no --health-listen", change: (d) => void connectorOf(d).args.splice(2, 1), problem: "--health-listen must be set" },
    { why: "the probe port on loopback", change: (d) => void (connectorOf(d).args[2] = "--health-listen=127.0.0.1:8081"), problem: "must listen on every interface: the kubelet dials the pod IP" },
    {
      why: "a liveness probe on the metrics port",
      change: (d) => void (connectorOf(d)["livenessProbe"] = { grpc: { port: 9464, service: "liveness" } }),
      problem: "livenessProbe must be a grpc probe on the --health-listen port 8081",
    },
    { why: "a liveness probe asking for readiness", change: (d) => void (connectorOf(d)["livenessProbe"] = { grpc: { port: 8081 } }), problem: 'livenessProbe must ask for the health service "liveness"' },
    { why: "a grace period shorter than preStop plus drain", change: (d) => void (d.spec.template.spec.terminationGracePeriodSeconds = 25), problem: "terminationGracePeriodSeconds 25 must cover the preStop sleep (5 s) + --shutdown-grace-seconds (20 s)" },
    { why: "no preStop sleep", change: (d) => void delete connectorOf(d)["lifecycle"], problem: "the connector needs a preStop sleep" },
    {
      why: "the token in an environment variable",
      change: (d) => void (connectorOf(d)["env"] as unknown[]).push({ name: "BATON_API_TOKEN", valueFrom: { secretKeyRef: { name: "okta-connector", key: "api-token" } } }),
      problem: "the Okta token must come from a mounted Secret file",
    },
    { why: "a token file outside any Secret mount", change: (d) => void (connectorOf(d).args[4] = "--api-token-file=/etc/okta/token"), problem: "--api-token-file /etc/okta/token is not inside a mounted Secret volume" },
    {
      why: "a token key the Secret does not have",
      change: (d) => void ((d.spec.template.spec as unknown as { volumes: { secret?: { items: { key: string }[] } }[] }).volumes[0]!.secret!.items[0]!.key = "token"),
      problem: 'reads key "token" of Secret okta-connector, which these manifests do not define',
    },
    { why: "a writable root filesystem", change: (d) => void ((engineOf(d)["securityContext"] as Record<string, unknown>)["readOnlyRootFilesystem"] = false), problem: "container governance-engine: readOnlyRootFilesystem must be true" },
    { why: "capabilities kept", change: (d) => void ((connectorOf(d)["securityContext"] as Record<string, unknown>)["capabilities"] = { drop: ["NET_RAW"] }), problem: "container okta-connector: capabilities must drop ALL" },
    { why: "privilege escalation allowed", change: (d) => void delete (engineOf(d)["securityContext"] as Record<string, unknown>)["allowPrivilegeEscalation"], problem: "container governance-engine: allowPrivilegeEscalation must be false" },
    { why: "no memory limit", change: (d) => void delete (connectorOf(d)["resources"] as { limits?: unknown }).limits, problem: "container okta-connector: needs cpu and memory requests and a memory limit" },
    { why: "an image tagged latest", change: (d) => void (engineOf(d)["image"] = "ghcr.io/okta-connector/okta-connector:latest"), problem: "needs a version tag or digest, not latest" },
    { why: "a scrape annotation on the wrong port", change: (d) => void (d.spec.template.metadata.annotations["prometheus.io/port"] = "8081"), problem: 'prometheus.io/port: "9464" (--metrics-listen)' },
    { why: "an engine that does not dial the sidecar", change: (d) => void (engineOf(d)["args"] = ["sleep infinity"]), problem: "no main container dials the connector at 127.0.0.1:50051" },
    { why: "a mounted service account token", change: (d) => void delete (d.spec.template.spec as unknown as Record<string, unknown>)["automountServiceAccountToken"], problem: "automountServiceAccountToken must be false" },
  ];
  it.each(cases)("$why", ({ change, problem }) => {
    expect(checkSidecarRules(withChange(change)).join("\n")).toContain(problem);
  });

  it("accepts `--flag value` as well as `--flag=value`", () => {
    const spaced = withChange((d) => {
      const connector = connectorOf(d);
      connector.args = connector.args.flatMap((a) => (a.startsWith("--") ? a.split("=") : [a]));
    });
    expect(checkSidecarRules(spaced)).toEqual([]);
  });
});
