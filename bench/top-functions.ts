/**
 * `tsx bench/top-functions.ts <file.cpuprofile> [n]`: the functions a V8 CPU profile (node --cpu-prof,
 * or `npm run bench -- --cpu-prof dir`) spent the most self time in, with their share of the samples.
 * Functions are grouped by name and package (or source file), which is how the profile summaries in
 * docs/benchmarks.md are made.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count = "25"] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: tsx bench/top-functions.ts <file.cpuprofile> [n]\n");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  total += us;
  const frame = byId.get(id)!.callFrame;
  const key = `${frame.functionName || "(anonymous)"}  ${where(frame.url)}`;
  self.set(key, (self.get(key) ?? 0) + us);
});
const idle = [...self].filter(([k]) => k.startsWith("(idle)")).reduce((s, [, us]) => s + us, 0);
process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled, ${((total - idle) / 1e6).toFixed(2)} s not idle\n`);
for (const [key, us] of [...self].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  process.stdout.write(`${(us / 1e6).toFixed(2).padStart(7)} s ${((100 * us) / (total - idle)).toFixed(1).padStart(5)}%  ${key}\n`);
}

/** A package name for dependencies, a project-relative path for our own files. */
function where(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(dist\/.*|src\/.*)$/.exec(url);
  return own ? own[1]! : url.replace(/^node:/, "node:");
}
