import { describe, expect, it } from "vitest";
import { userEvents } from "./user-events.js";

describe("user System Log events", () => {
  it.each(userEvents.oktaEventTypes)("%s → ResourceChange of the user", (eventType) => {
    const target = [{ id: "00u1a2b3c4D5e6F7g8h9", type: "User", alternateId: "ada@example.com", displayName: "Ada Lovelace" }];
    const bodies = userEvents.map({ uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType, target });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.case).toBe("resourceChangeEvent");
    expect(bodies[0]?.value).toMatchObject({ resourceId: { resourceType: "user", resource: "00u1a2b3c4D5e6F7g8h9" } });
  });

  it("a password change or reset is a change of the user, whose status detail names the password's date", () => {
    expect(userEvents.oktaEventTypes).toEqual(expect.arrayContaining(["user.account.update_password", "user.account.reset_password"]));
  });

  it("maps nothing without a User target", () => {
    expect(userEvents.map({ uuid: "u-1", published: "2026-12-04T10:00:00.000Z", eventType: "user.lifecycle.create", target: [] })).toEqual([]);
  });
});
