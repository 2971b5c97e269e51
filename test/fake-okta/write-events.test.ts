import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOkta, type FakeOkta } from "./index.js";
import type { GroundTruth } from "./ground-truth.js";
import { call, nextLink } from "./test-support.js";

// Every mutation endpoint appends the System Log entries Okta writes (events-and-posture.md §4): each row
// makes its writes through the HTTP API and reads what they appended by polling GET /api/v1/logs, the
// way a connector's feed does.
describe("System Log entries for every write", () => {
  let fake: FakeOkta;
  let truth: GroundTruth;
  let counter = 0;
  let cursor = "";

  beforeAll(async () => {
    fake = await startFakeOkta({ seed: 53, users: 60, serviceApps: 4 });
    truth = await fake.groundTruth();
    const first = await call(fake, "GET", `/api/v1/logs?limit=1000&since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`);
    cursor = nextLink(first.headers) ?? "";
  });
  afterAll(async () => fake?.close());

  type Event = { eventType: string; actor: { id: string; type: string }; outcome: { result: string }; target: { id: string; type: string }[]; debugContext: { debugData: Record<string, string> } };

  /** Polls from the cursor: the events appended since the last poll. */
  async function newEvents(): Promise<Event[]> {
    const res = await call(fake, "GET", cursor);
    expect(res.status).toBe(200);
    cursor = nextLink(res.headers) ?? cursor;
    return res.body as Event[];
  }
  async function send(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await call(fake, method, path, body === undefined ? {} : { body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.body;
  }
  const shape = (events: Event[]) => events.map((e) => [e.eventType, ...e.target.map((t) => `${t.type}:${t.id}`)]);

  async function newUser(query = "activate=true", withPassword = true, profile: Record<string, unknown> = {}): Promise<string> {
    counter++;
    const login = `events.${counter}@example.com`;
    const body = { profile: { firstName: "Event", lastName: `User ${counter}`, login, email: login, ...profile }, ...(withPassword ? { credentials: { password: { value: "Secret-123!" } } } : {}) };
    return ((await send("POST", `/api/v1/users?${query}`, body)) as { id: string }).id;
  }
  async function newGroup(): Promise<string> {
    counter++;
    return ((await send("POST", "/api/v1/groups", { profile: { name: `Events ${counter}` } })) as { id: string }).id;
  }
  async function newApp(activate = true): Promise<string> {
    counter++;
    return ((await send("POST", `/api/v1/apps?activate=${activate}`, { name: "bookmark", label: `Events App ${counter}`, signOnMode: "BOOKMARK", settings: { app: { url: "https://example.com" } } })) as { id: string }).id;
  }
  const roleAssignmentId = (body: unknown): string => (body as { id: string }).id;

  type Row = [string, () => Promise<(string | RegExp)[][]>];
  const rows: Row[] = [
    ["user create with activate", async () => {
      const id = await newUser();
      return [["user.lifecycle.create", `User:${id}`], ["user.lifecycle.activate", `User:${id}`]];
    }],
    ["user create without activate", async () => {
      const id = await newUser("activate=false");
      return [["user.lifecycle.create", `User:${id}`]];
    }],
    ["user activate, suspend, unsuspend", async () => {
      const id = await newUser("activate=false");
      await newEvents();
      for (const op of ["activate", "suspend", "unsuspend"]) await send("POST", `/api/v1/users/${id}/lifecycle/${op}`);
      return [["user.lifecycle.activate", `User:${id}`], ["user.lifecycle.suspend", `User:${id}`], ["user.lifecycle.unsuspend", `User:${id}`]];
    }],
    ["user reactivate and unlock", async () => {
      const id = await newUser("activate=true", false);
      const locked = await newUser();
      fake.org.forceUserStatus(locked, "LOCKED_OUT");
      await newEvents();
      await send("POST", `/api/v1/users/${id}/lifecycle/reactivate`);
      await send("POST", `/api/v1/users/${locked}/lifecycle/unlock`);
      return [["user.lifecycle.reactivate", `User:${id}`], ["user.account.unlock", `User:${locked}`]];
    }],
    ["user deactivate, removing its direct app assignment", async () => {
      const id = await newUser();
      const app = await newApp();
      await send("POST", `/api/v1/apps/${app}/users`, { id });
      await newEvents();
      await send("POST", `/api/v1/users/${id}/lifecycle/deactivate`);
      return [["user.lifecycle.deactivate", `User:${id}`], ["application.user_membership.remove", `User:${id}`, `AppInstance:${app}`]];
    }],
    ["user DELETE twice: deactivate, then delete", async () => {
      const id = await newUser();
      await newEvents();
      await send("DELETE", `/api/v1/users/${id}`);
      await send("DELETE", `/api/v1/users/${id}`);
      return [["user.lifecycle.deactivate", `User:${id}`], ["user.lifecycle.delete.initiated", `User:${id}`]];
    }],
    ["user profile (POST and PUT) and password", async () => {
      const id = await newUser();
      await newEvents();
      await send("POST", `/api/v1/users/${id}`, { profile: { nickName: "Evie" } });
      await send("PUT", `/api/v1/users/${id}`, { profile: { login: `put.${id}@example.com`, firstName: "Put" } });
      await send("POST", `/api/v1/users/${id}`, { credentials: { password: { value: "Another-456!" } } });
      return [["user.account.update_profile", `User:${id}`], ["user.account.update_profile", `User:${id}`], ["user.account.update_password", `User:${id}`]];
    }],
    ["group create, update, delete", async () => {
      const id = await newGroup();
      await send("PUT", `/api/v1/groups/${id}`, { profile: { name: `Renamed ${id}` } });
      await send("DELETE", `/api/v1/groups/${id}`);
      return [["group.lifecycle.create", `UserGroup:${id}`], ["group.profile.update", `UserGroup:${id}`], ["group.lifecycle.delete", `UserGroup:${id}`]];
    }],
    ["group membership add and remove", async () => {
      const [user, group] = [await newUser(), await newGroup()];
      await newEvents();
      await send("PUT", `/api/v1/groups/${group}/users/${user}`);
      await send("DELETE", `/api/v1/groups/${group}/users/${user}`);
      return [["group.user_membership.add", `User:${user}`, `UserGroup:${group}`], ["group.user_membership.remove", `User:${user}`, `UserGroup:${group}`]];
    }],
    ["group membership a group rule makes for a new matching user", async () => {
      const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.expression.startsWith('user.department=="Engineering"'));
      expect(rule).toBeDefined();
      const id = await newUser("activate=true", true, { department: "Engineering" });
      return [
        ["user.lifecycle.create", `User:${id}`], ["user.lifecycle.activate", `User:${id}`],
        ...(rule?.groupIds ?? []).map((g) => ["group.user_membership.add", `User:${id}`, `UserGroup:${g}`]),
      ];
    }],
    ["group membership a group rule removes when the user's profile stops matching", async () => {
      const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.expression.startsWith('user.department=="Engineering"'));
      const id = await newUser("activate=true", true, { department: "Engineering" });
      await newEvents();
      await send("POST", `/api/v1/users/${id}`, { profile: { department: "Finance" } });
      expect(fake.org.groupRules.all().find((r) => r.id === rule?.id)?.excludedUserIds).not.toContain(id);
      return [["user.account.update_profile", `User:${id}`], ...(rule?.groupIds ?? []).map((g) => ["group.user_membership.remove", `User:${id}`, `UserGroup:${g}`])];
    }],
    ["app create (active and not), update, deactivate, activate, delete", async () => {
      const id = await newApp();
      const inactive = await newApp(false);
      await send("PUT", `/api/v1/apps/${id}`, { label: "Renamed app" });
      await send("POST", `/api/v1/apps/${id}/lifecycle/deactivate`);
      await send("POST", `/api/v1/apps/${inactive}/lifecycle/activate`);
      await send("DELETE", `/api/v1/apps/${id}`);
      return [
        ["application.lifecycle.create", `AppInstance:${id}`], ["application.lifecycle.activate", `AppInstance:${id}`],
        ["application.lifecycle.create", `AppInstance:${inactive}`],
        ["application.lifecycle.update", `AppInstance:${id}`], ["application.lifecycle.deactivate", `AppInstance:${id}`],
        ["application.lifecycle.activate", `AppInstance:${inactive}`], ["application.lifecycle.delete", `AppInstance:${id}`],
      ];
    }],
    ["app assignment to a user: add, update, change username, remove", async () => {
      const [user, app] = [await newUser(), await newApp()];
      await newEvents();
      await send("POST", `/api/v1/apps/${app}/users`, { id: user });
      await send("POST", `/api/v1/apps/${app}/users/${user}`, { profile: { role: "viewer" } });
      await send("POST", `/api/v1/apps/${app}/users/${user}`, { credentials: { userName: "evie" } });
      await send("DELETE", `/api/v1/apps/${app}/users/${user}`);
      const both = [`User:${user}`, `AppInstance:${app}`];
      return [["application.user_membership.add", ...both], ["application.user_membership.update", ...both], ["application.user_membership.change_username", ...both], ["application.user_membership.remove", ...both]];
    }],
    ["app assignment to a group: add, update, remove", async () => {
      const [group, app] = [await newGroup(), await newApp()];
      await newEvents();
      await send("PUT", `/api/v1/apps/${app}/groups/${group}`, {});
      await send("PUT", `/api/v1/apps/${app}/groups/${group}`, { priority: 3 });
      await send("DELETE", `/api/v1/apps/${app}/groups/${group}`);
      const both = [`UserGroup:${group}`, `AppInstance:${app}`];
      return [["group.application_assignment.add", ...both], ["group.application_assignment.update", ...both], ["group.application_assignment.remove", ...both]];
    }],
    ["admin roles of a user: grant and revoke only for its first and last role", async () => {
      const user = await newUser();
      await newEvents();
      const first = roleAssignmentId(await send("POST", `/api/v1/users/${user}/roles`, { type: "HELP_DESK_ADMIN" }));
      const second = roleAssignmentId(await send("POST", `/api/v1/users/${user}/roles`, { type: "REPORT_ADMIN" }));
      await send("DELETE", `/api/v1/users/${user}/roles/${first}`);
      await send("DELETE", `/api/v1/users/${user}/roles/${second}`);
      return [["user.account.privilege.grant", `User:${user}`, "ROLE:HELP_DESK_ADMIN"], ["user.account.privilege.revoke", `User:${user}`, "ROLE:REPORT_ADMIN"]];
    }],
    ["admin roles of a group", async () => {
      const group = await newGroup();
      await newEvents();
      const id = roleAssignmentId(await send("POST", `/api/v1/groups/${group}/roles`, { type: "USER_ADMIN" }));
      await send("DELETE", `/api/v1/groups/${group}/roles/${id}`);
      return [["group.privilege.grant", `UserGroup:${group}`, "ROLE:USER_ADMIN"], ["group.privilege.revoke", `UserGroup:${group}`, "ROLE:USER_ADMIN"]];
    }],
    ["admin roles of an OAuth service app's client", async () => {
      const client = truth.apps.find((a) => a.applicationType === "service" && !truth.roleAssignments.some((r) => r.assigneeId === a.clientId && r.type === "REPORT_ADMIN"));
      const id = roleAssignmentId(await send("POST", `/oauth2/v1/clients/${client?.clientId}/roles`, { type: "REPORT_ADMIN" }));
      await send("DELETE", `/oauth2/v1/clients/${client?.clientId}/roles/${id}`);
      return [["app.oauth2.client.privilege.grant", `AppInstance:${client?.id}`, "ROLE:REPORT_ADMIN"], ["app.oauth2.client.privilege.revoke", `AppInstance:${client?.id}`, "ROLE:REPORT_ADMIN"]];
    }],
    ["custom role given to a user through its roles, then taken back", async () => {
      const [user, set, role] = [await newUser(), truth.resourceSets[0], truth.customRoles[0]];
      await newEvents();
      const id = roleAssignmentId(await send("POST", `/api/v1/users/${user}/roles`, { type: "CUSTOM", role: role?.id, "resource-set": set?.id }));
      await send("DELETE", `/api/v1/users/${user}/roles/${id}`);
      const custom = [`CUSTOM_ROLE:${role?.id}`, `RESOURCE_SET:${set?.id}`, `BINDING:${id}`, `User:${user}`];
      return [
        ["iam.resourceset.bindings.add", ...custom], ["user.account.privilege.grant", `User:${user}`, `CUSTOM_ROLE:${role?.id}`],
        ["iam.resourceset.bindings.delete", ...custom], ["user.account.privilege.revoke", `User:${user}`, `CUSTOM_ROLE:${role?.id}`],
      ];
    }],
    ["binding created, members added and removed, binding deleted", async () => {
      const [user, group] = [await newUser(), await newGroup()];
      const set = truth.resourceSets[1] ?? truth.resourceSets[0];
      const role = truth.customRoles.find((r) => !truth.bindings.some((b) => b.resourceSetId === set?.id && b.roleId === r.id)) ?? truth.customRoles[2];
      await newEvents();
      await send("POST", `/api/v1/iam/resource-sets/${set?.id}/bindings`, { role: role?.id, members: [`${fake.url}/api/v1/users/${user}`] });
      await send("PATCH", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members`, { additions: [`${fake.url}/api/v1/groups/${group}`] });
      const members = ((await send("GET", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members`)) as { members: { id: string; _links: { self: { href: string } } }[] }).members;
      const memberOf = (id: string) => members.find((m) => m._links.self.href.endsWith(`/${id}`))?.id;
      const [userMember, groupMember] = [memberOf(user), memberOf(group)];
      await send("DELETE", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}/members/${userMember}`);
      await send("DELETE", `/api/v1/iam/resource-sets/${set?.id}/bindings/${role?.id}`);
      const scope = [`CUSTOM_ROLE:${role?.id}`, `RESOURCE_SET:${set?.id}`];
      return [
        ["iam.resourceset.bindings.add", ...scope, `BINDING:${userMember}`, `User:${user}`], ["user.account.privilege.grant", `User:${user}`, `CUSTOM_ROLE:${role?.id}`],
        ["iam.resourceset.bindings.add", ...scope, `BINDING:${groupMember}`, `UserGroup:${group}`], ["group.privilege.grant", `UserGroup:${group}`, `CUSTOM_ROLE:${role?.id}`],
        ["iam.resourceset.bindings.delete", ...scope, `BINDING:${userMember}`, `User:${user}`], ["user.account.privilege.revoke", `User:${user}`, `CUSTOM_ROLE:${role?.id}`],
        ["iam.resourceset.bindings.delete", ...scope, `BINDING:${groupMember}`, `UserGroup:${group}`], ["group.privilege.revoke", `UserGroup:${group}`, `CUSTOM_ROLE:${role?.id}`],
      ];
    }],
  ];

  it.each(rows)("%s", async (_name, act) => {
    await newEvents();
    const expected = await act();
    const events = await newEvents();
    expect(shape(events)).toEqual(expected);
    expect(events.every((e) => e.actor.type === "User" && e.actor.id !== "" && e.outcome.result === "SUCCESS")).toBe(true);
  });

  it("refuses to delete an ACTIVE app with 403 E0000056, and logs nothing", async () => {
    const app = await newApp();
    await newEvents();
    const res = await call(fake, "DELETE", `/api/v1/apps/${app}`);
    expect([res.status, (res.body as { errorCode: string }).errorCode]).toEqual([403, "E0000056"]);
    expect(await newEvents()).toEqual([]);
  });

  it("marks a rule's membership with the rule's id", async () => {
    const rule = truth.groupRules.find((r) => r.status === "ACTIVE" && r.expression.startsWith('user.department=="Engineering"'));
    await newEvents();
    await newUser("activate=true", true, { department: "Engineering" });
    const adds = (await newEvents()).filter((e) => e.eventType === "group.user_membership.add");
    expect(adds.map((e) => e.debugContext.debugData["triggeredByGroupRuleId"])).toEqual(rule?.groupIds.map(() => rule.id));
  });
});
