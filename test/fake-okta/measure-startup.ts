/**
 * Measures how long the simulator takes to start at a given size and how much memory it holds, then
 * lists every user once through the API (search=status pr, 200 per page) and streams the ground truth, to
 * show the org is usable at that size. Not a test: `npx tsx test/fake-okta/measure-startup.ts [users]`
 * (default 100,000 users, about 1,000,000 memberships). Prints one JSON line.
 */
import { startFakeOkta } from "./index.js";

async function measure(users: number): Promise<void> {
  const started = process.hrtime.bigint();
  const fake = await startFakeOkta({ seed: 1, users, rateLimits: false });
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  const afterStart = process.memoryUsage();
  const memberships = fake.org.groups.all().reduce((sum, g) => sum + (g.type === "BUILT_IN" ? 0 : g.members.size), 0);

  const headers = { Authorization: `SSWS ${fake.tokens.read_only}` };
  const listStarted = process.hrtime.bigint();
  let next: string | null = `${fake.url}/api/v1/users?search=${encodeURIComponent("status pr")}&limit=200`;
  let listed = 0;
  let pages = 0;
  while (next) {
    const res: Response = await fetch(next, { headers });
    listed += ((await res.json()) as unknown[]).length;
    pages++;
    next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  const listMs = Number(process.hrtime.bigint() - listStarted) / 1e6;

  const truthStarted = process.hrtime.bigint();
  const truthRes = await fetch(`${fake.url}/__sim/ground-truth`);
  const truthBytes = (await truthRes.arrayBuffer()).byteLength;
  const truthMs = Number(process.hrtime.bigint() - truthStarted) / 1e6;
  const peak = process.memoryUsage();
  await fake.close();

  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  process.stdout.write(`${JSON.stringify({
    users,
    groups: fake.org.groups.all().length,
    apps: fake.org.apps.all().length,
    memberships,
    startSeconds: Number((startMs / 1000).toFixed(2)),
    rssAfterStartMB: mb(afterStart.rss),
    heapUsedAfterStartMB: mb(afterStart.heapUsed),
    listAllUsers: { listed, pages, seconds: Number((listMs / 1000).toFixed(2)) },
    groundTruth: { megabytes: mb(truthBytes), seconds: Number((truthMs / 1000).toFixed(2)) },
    rssPeakMB: mb(peak.rss),
  })}\n`);
}

const requested = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(requested) || requested < 0) {
  process.stderr.write(`measure-startup: users must be a whole number (got ${process.argv[2]})\n`);
  process.exit(2);
}
await measure(requested);
