import { describe, expect, it } from "vitest";
import { recordCallTimeline, timelineStep } from "./call-timeline.js";

describe("call timeline", () => {
  it("counts each route's calls between two readings and leaves out the idle ones", () => {
    const before = { "GET /api/v1/users": { calls: 10 }, "GET /api/v1/groups": { calls: 2 } };
    const after = { "GET /api/v1/users": { calls: 14 }, "GET /api/v1/groups": { calls: 2 }, "GET /api/v1/groups/{groupId}/users": { calls: 7 } };
    expect(timelineStep(5, before, after)).toEqual({ atSeconds: 5, calls: 11, routes: { "GET /api/v1/users": 4, "GET /api/v1/groups/{groupId}/users": 7 } });
  });

  it("treats counters reset between two readings as nothing new, never as negative calls", () => {
    expect(timelineStep(1, { "GET /api/v1/users": { calls: 9 } }, { "GET /api/v1/users": { calls: 3 } })).toEqual({ atSeconds: 1, calls: 0, routes: {} });
  });

  it("ends with a step at the stop, timed from the start", () => {
    let t = 1_000;
    let calls = 0;
    const timeline = recordCallTimeline(() => ({ "GET /api/v1/users": { calls } }), 60_000, () => t);
    calls = 5;
    t = 3_500;
    expect(timeline.stop()).toEqual([{ atSeconds: 2.5, calls: 5, routes: { "GET /api/v1/users": 5 } }]);
  });
});
