import { describe, expect, it } from "vitest";
import { resourceSetEvents } from "./resource-set-events.js";

describe("resource set System Log events", () => {
  it.each(resourceSetEvents.oktaEventTypes)("%s → ResourceChange of the resource set", (eventType) => {
    const target = [{ id: "iamXyZ123abc456", type: "ResourceSet", alternateId: "Tier 2", displayName: "Tier 2" }];
    const bodies = resourceSetEvents.map({ uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target });
    expect(bodies.map((b) => b.case)).toEqual(["resourceChangeEvent"]);
    expect(bodies[0]?.value).toMatchObject({ resourceId: { resourceType: "resource-set", resource: "iamXyZ123abc456" } });
  });
});
