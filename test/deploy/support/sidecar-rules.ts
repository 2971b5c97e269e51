import type { KubeObject, Manifest } from "./manifests.js";

/**
 * What an operator expects of the connector as a Kubernetes sidecar, checked on the manifests
 * themselves (the schema only proves they are well-formed). Each rule states its reason in the
 * problem it reports. Written for the shapes deploy/kubernetes/ uses: a Deployment or Pod whose
 * init containers hold the connector as a native sidecar.
 */

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { containerPort: number }[];
  restartPolicy?: string;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Probe {
  grpc?: { port: number; service?: string };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type: string };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; secret?: { secretName?: string; items?: { key: string; path: string }[] } }[];
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  securityContext?: SecurityContext;
}

/** The connector's defaults (src/config/flags.ts) and what the drain adds after the grace period. */
const DEFAULT_LISTEN = "127.0.0.1:50051";
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
const DEFAULT_POD_GRACE_SECONDS = 30;
/** serve's drain: 1 s to write UNAVAILABLE trailers, at most 3 s to flush traces, and a margin. */
const DRAIN_TAIL_SECONDS = 5;

/** Every rule broken by the Deployments and Pods among `manifests`. */
export function checkSidecarRules(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const secrets = new Map<string, Set<string>>();
  for (const { doc } of manifests) {
    if (doc.kind !== "Secret" || doc.metadata?.name === undefined) continue;
    const keys = [...Object.keys((doc.stringData as object | undefined) ?? {}), ...Object.keys((doc.data as object | undefined) ?? {})];
    secrets.set(doc.metadata.name, new Set(keys));
  }
  const workloads = manifests.filter((m) => m.doc.kind === "Deployment" || m.doc.kind === "Pod");
  if (workloads.length === 0) problems.push("no Deployment or Pod to run the connector in");
  for (const manifest of workloads) {
    const where = `${manifest.file} ${manifest.doc.kind}/${manifest.doc.metadata?.name ?? "?"}`;
    for (const problem of checkWorkload(manifest.doc, secrets)) problems.push(`${where}: ${problem}`);
  }
  return problems;
}

function checkWorkload(doc: KubeObject, secrets: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const problems: string[] = [];
  const template = (doc.kind === "Deployment" ? (doc.spec as { template: { metadata?: KubeObject["metadata"]; spec: PodSpec } }).template : { metadata: doc.metadata, spec: doc.spec as PodSpec });
  const pod = template.spec;
  const sidecars = (pod.initContainers ?? []).filter((c) => c.restartPolicy === "Always" && (c.args ?? [])[0] === "serve");
  if (sidecars.length !== 1) {
    return [`needs exactly one okta-connector native sidecar (an initContainers entry with restartPolicy: Always running \`serve\`), found ${sidecars.length}`];
  }
  const connector = sidecars[0]!;
  const flags = flagsOf(connector);

  const listen = hostPort(flags.get("listen") ?? DEFAULT_LISTEN);
  if (listen === undefined || !["127.0.0.1", "::1", "localhost"].includes(listen.host)) {
    problems.push(`--listen ${flags.get("listen")} must stay on loopback: the engine dials it over the pod's localhost, and the port has no auth of its own`);
  }
  const health = hostPort(flags.get("health-listen") ?? "");
  if (health === undefined) {
    problems.push("--health-listen must be set: the kubelet's gRPC probe needs a plaintext port on the pod IP");
  } else {
    if (!["0.0.0.0", "::", ""].includes(health.host)) problems.push(`--health-listen ${flags.get("health-listen")} must listen on every interface: the kubelet dials the pod IP`);
    problems.push(...checkProbes(connector, health.port));
  }

  const preStop = connector.lifecycle?.preStop?.sleep?.seconds;
  if (preStop === undefined) problems.push("the connector needs a preStop sleep (no shell needed) so endpoints can drop it before SIGTERM");
  const drain = Number(flags.get("shutdown-grace-seconds") ?? DEFAULT_SHUTDOWN_GRACE_SECONDS);
  const grace = pod.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS;
  if (grace < (preStop ?? 0) + drain + DRAIN_TAIL_SECONDS) {
    problems.push(`terminationGracePeriodSeconds ${grace} must cover the preStop sleep (${preStop ?? 0} s) + --shutdown-grace-seconds (${drain} s) + ${DRAIN_TAIL_SECONDS} s to fail what is left and flush`);
  }

  problems.push(...checkToken(connector, flags, pod, secrets));
  if (flags.get("domain") === undefined && !(connector.env ?? []).some((e) => e.name === "BATON_DOMAIN")) problems.push("the connector needs --domain or BATON_DOMAIN");

  const port = listen?.port ?? 50051;
  const reachesConnector = pod.containers.some((c) => [...(c.command ?? []), ...(c.args ?? []), ...(c.env ?? []).map((e) => e.value ?? "")].some((s) => s.includes(`127.0.0.1:${port}`) || s.includes(`localhost:${port}`)));
  if (!reachesConnector) problems.push(`no main container dials the connector at 127.0.0.1:${port}`);

  const metrics = hostPort(flags.get("metrics-listen") ?? "");
  if (metrics !== undefined) {
    const annotations = template.metadata?.annotations ?? {};
    if (annotations["prometheus.io/scrape"] !== "true" || annotations["prometheus.io/port"] !== String(metrics.port)) {
      problems.push(`the pod template needs prometheus.io/scrape: "true" and prometheus.io/port: "${metrics.port}" (--metrics-listen)`);
    }
  }

  if (pod.automountServiceAccountToken !== false) problems.push("automountServiceAccountToken must be false: nothing in the pod calls the Kubernetes API");
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) problems.push(...checkContainer(container, pod.securityContext ?? {}));
  return problems;
}

function checkProbes(connector: Container, healthPort: number): string[] {
  const problems: string[] = [];
  const probes = { readinessProbe: "", livenessProbe: "liveness", startupProbe: "" } as const;
  for (const [name, service] of Object.entries(probes) as [keyof typeof probes, string][]) {
    const probe = connector[name];
    if (probe === undefined) {
      if (name !== "startupProbe") problems.push(`the connector needs a ${name}`);
      continue;
    }
    if (probe.grpc?.port !== healthPort) problems.push(`${name} must be a grpc probe on the --health-listen port ${healthPort}`);
    else if ((probe.grpc.service ?? "") !== service) {
      problems.push(`${name} must ask for the health service "${service}" (${service === "" ? "readiness: SERVING once the credential validated" : "SERVING while the process runs"})`);
    }
  }
  if (!(connector.ports ?? []).some((p) => p.containerPort === healthPort)) problems.push(`the connector should declare containerPort ${healthPort} (--health-listen)`);
  return problems;
}

function checkToken(connector: Container, flags: ReadonlyMap<string, string>, pod: PodSpec, secrets: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  if (flags.has("api-token") || (connector.env ?? []).some((e) => e.name === "BATON_API_TOKEN")) {
    return ["the Okta token must come from a mounted Secret file (--api-token-file), not a flag or an environment variable"];
  }
  const file = flags.get("api-token-file") ?? (connector.env ?? []).find((e) => e.name === "BATON_API_TOKEN_FILE")?.value;
  if (file === undefined) return ["the connector needs --api-token-file pointing into a mounted Secret"];
  const mount = (connector.volumeMounts ?? []).find((m) => file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
  const volume = mount && (pod.volumes ?? []).find((v) => v.name === mount.name);
  if (mount === undefined || volume?.secret === undefined) return [`--api-token-file ${file} is not inside a mounted Secret volume`];
  const relative = file.slice(mount.mountPath.replace(/\/$/, "").length + 1);
  const key = volume.secret.items === undefined ? relative : volume.secret.items.find((i) => i.path === relative)?.key;
  const secretName = volume.secret.secretName ?? "";
  if (key === undefined) return [`--api-token-file ${file}: volume ${volume.name} projects no item at ${relative}`];
  if (!secrets.get(secretName)?.has(key)) return [`--api-token-file ${file} reads key "${key}" of Secret ${secretName}, which these manifests do not define`];
  return [];
}

function checkContainer(container: Container, podContext: SecurityContext): string[] {
  const problems: string[] = [];
  const at = `container ${container.name}`;
  const context = container.securityContext ?? {};
  if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot must be true`);
  if (context.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem must be true`);
  if (context.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation must be false`);
  if (context.privileged === true) problems.push(`${at}: must not be privileged`);
  if (!(context.capabilities?.drop ?? []).includes("ALL")) problems.push(`${at}: capabilities must drop ALL`);
  const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
  if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${at}: needs seccompProfile RuntimeDefault (on the pod or the container)`);
  const requests = container.resources?.requests ?? {};
  if (requests["cpu"] === undefined || requests["memory"] === undefined || container.resources?.limits?.["memory"] === undefined) {
    problems.push(`${at}: needs cpu and memory requests and a memory limit`);
  }
  if (container.image === undefined || !/:[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/.test(container.image) || container.image.endsWith(":latest")) {
    problems.push(`${at}: image ${container.image ?? "(none)"} needs a version tag or digest, not latest`);
  }
  return problems;
}

/** `--name=value` and `--name value` from a container's args (the CLI accepts both). */
function flagsOf(container: Container): Map<string, string> {
  const flags = new Map<string, string>();
  const args = container.args ?? [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(args[i]!);
    if (!match) continue;
    if (match[2] !== undefined) flags.set(match[1]!, match[2]);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith("--")) flags.set(match[1]!, args[++i]!);
    else flags.set(match[1]!, "true");
  }
  return flags;
}

function hostPort(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  return match ? { host: match[1] ?? match[2]!, port: Number(match[3]) } : undefined;
}
