import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import { call, nextLink } from "./test-support.js";

describe("System Log", () => {
  let fake: FakeOkta;
  let since: string;
  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 71, users: 30 });
    since = new Date(Date.now() - 60_000).toISOString();
    const group = fake.org.groups.all().find((g) => g.type === "OKTA_GROUP");
    for (const user of fake.org.users.all().filter((u) => u.status === "ACTIVE").slice(0, 5)) {
      await call(fake, "PUT", `/api/v1/groups/${group?.id}/users/${user.id}`);
    }
    await call(fake, "POST", `/api/v1/groups`, { body: { profile: { name: "Log Test" } } });
  });
  afterAll(async () => fake?.close());

  type Event = { uuid: string; eventType: string; published: string; target: { id: string }[]; actor: { type: string } };

  it("polls: follows next links (always present, even on an empty page) and sees new events", async () => {
    const seen: Event[] = [];
    let url: string | null = `/api/v1/logs?since=${encodeURIComponent(since)}&limit=2`;
    let empty = 0;
    while (url !== null && empty === 0) {
      const res = await call(fake, "GET", url);
      const page = res.body as Event[];
      if (page.length === 0) empty++;
      seen.push(...page);
      url = nextLink(res.headers);
      expect(url).not.toBeNull();
    }
    const written = seen.filter((e) => e.eventType.startsWith("group."));
    expect(written.map((e) => e.eventType)).toEqual([...Array(5).fill("group.user_membership.add"), "group.lifecycle.create"]);
    expect(written.every((e) => e.actor.type === "User")).toBe(true);
    await call(fake, "POST", `/api/v1/groups`, { body: { profile: { name: "After Polling" } } });
    const later = (await call(fake, "GET", url ?? "")).body as Event[];
    expect(later.map((e) => e.eventType)).toEqual(["group.lifecycle.create"]);
  });

  it("bounds a query with until: ordered, and the last page has no next link", async () => {
    const until = new Date(Date.now() + 1000).toISOString();
    const res = await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&limit=1000`);
    const events = res.body as Event[];
    expect(nextLink(res.headers)).toBeNull();
    expect(events.map((e) => e.published)).toEqual([...events.map((e) => e.published)].sort());
    const desc = (await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}&sortOrder=DESCENDING&limit=1000`)).body as Event[];
    expect(desc.map((e) => e.uuid)).toEqual(events.map((e) => e.uuid).reverse());
  });

  it("filters on eventType and target.id, and searches keywords with q", async () => {
    const user = fake.org.users.all().filter((u) => u.status === "ACTIVE")[0];
    const byType = (await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(since)}&filter=${encodeURIComponent('eventType eq "group.user_membership.add"')}`)).body as Event[];
    expect(byType).toHaveLength(5);
    const byTarget = (await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(since)}&filter=${encodeURIComponent(`target.id eq "${user?.id}"`)}`)).body as Event[];
    expect(byTarget.map((e) => e.eventType)).toEqual(["group.user_membership.add"]);
    const byKeyword = (await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(since)}&q=${encodeURIComponent("Log Test")}`)).body as Event[];
    expect(byKeyword.map((e) => e.eventType)).toEqual(["group.lifecycle.create"]);
  });

  it("does not return events from before since", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call(fake, "GET", `/api/v1/logs?since=${encodeURIComponent(future)}`);
    expect(res.body).toEqual([]);
    expect(nextLink(res.headers)).not.toBeNull();
  });
});
