import { describe, expect, it } from "vitest";
import { OKTA_BUCKETS, bucketFor, type OktaBucket } from "./buckets.js";

describe("bucketFor", () => {
  const rows: [string, string, OktaBucket][] = [
    ["GET", "/api/v1/users", OKTA_BUCKETS.users],
    ["POST", "/api/v1/users", OKTA_BUCKETS.users],
    ["GET", "/api/v1/users?limit=200&search=status%20pr", OKTA_BUCKETS.users],
    ["GET", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", OKTA_BUCKETS.userGet],
    ["get", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", OKTA_BUCKETS.userGet],
    ["POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", OKTA_BUCKETS.userWrite],
    ["PUT", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", OKTA_BUCKETS.userWrite],
    ["DELETE", "/api/v1/users/00ub0oNGTSWTBKOLGLNR", OKTA_BUCKETS.userWrite],
    ["POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/activate", OKTA_BUCKETS.userWrite],
    ["POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/deactivate/extra", OKTA_BUCKETS.other],
    ["POST", "/api/v1/apps/0oafxqCAJWWGELFTYASJ/lifecycle/activate", OKTA_BUCKETS.other],
    ["GET", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/roles", OKTA_BUCKETS.other],
    ["GET", "/api/v1/users/me", OKTA_BUCKETS.other],
    ["GET", "/api/v1/groups", OKTA_BUCKETS.groups],
    ["POST", "/api/v1/groups", OKTA_BUCKETS.groups],
    ["GET", "/api/v1/groups/00g1emaKYZTWRYYRRTSK", OKTA_BUCKETS.group],
    ["DELETE", "/api/v1/groups/00g1emaKYZTWRYYRRTSK", OKTA_BUCKETS.group],
    ["GET", "/api/v1/groups/00g1emaKYZTWRYYRRTSK/users", OKTA_BUCKETS.other],
    ["PUT", "/api/v1/groups/00g1emaKYZTWRYYRRTSK/users/00u1", OKTA_BUCKETS.other],
    ["GET", "/api/v1/groups/rules", OKTA_BUCKETS.other],
    ["GET", "/api/v1/apps", OKTA_BUCKETS.apps],
    ["GET", "/api/v1/apps/0oafxqCAJWWGELFTYASJ", OKTA_BUCKETS.app],
    ["GET", "/api/v1/apps/0oafxqCAJWWGELFTYASJ/users", OKTA_BUCKETS.other],
    ["GET", "/api/v1/apps/0oafxqCAJWWGELFTYASJ/groups", OKTA_BUCKETS.other],
    ["GET", "/api/v1/logs", OKTA_BUCKETS.logs],
    ["GET", "/api/v1/iam/assignees/users", OKTA_BUCKETS.other],
    ["GET", "/api/v1/iam/roles", OKTA_BUCKETS.other],
    ["GET", "/api/v1/org", OKTA_BUCKETS.other],
    ["POST", "/oauth2/v1/token", OKTA_BUCKETS.token],
    ["GET", "/oauth2/v1/keys", OKTA_BUCKETS.outside],
    ["GET", "/oauth2/v1/clients/0oa1/roles", OKTA_BUCKETS.other],
    ["DELETE", "/oauth2/v1/clients/0oa1/roles/irb1", OKTA_BUCKETS.other],
    ["GET", "/oauth2/v1/clients/0oa1", OKTA_BUCKETS.outside],
    ["GET", "/api/v2/users", OKTA_BUCKETS.outside],
    ["GET", "/", OKTA_BUCKETS.outside],
  ];
  it.each(rows)("%s %s", (method, path, want) => {
    expect(bucketFor(method, path)).toBe(want);
  });
});
