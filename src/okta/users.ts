/**
 * Users: the listing a sync pages through, single reads, creation and lifecycle changes.
 */
import type { OktaClient } from "./client.js";
import { OktaError } from "./errors.js";
import { validateOktaId } from "./ids.js";
import { OKTA_PAGE_LIMITS } from "./page-limits.js";
import { expectObject, fetchPage } from "./paging.js";
import type { CallOptions, OktaUser, OktaUserProfile, Page, PageOptions } from "./types.js";

/**
 * Okta trims credentials and their links from user JSON when asked through this media-type
 * parameter (okta-api.md §1.1); a sync never reads them, and pages get much smaller.
 */
export const OMIT_CREDENTIALS_CONTENT_TYPE = 'application/json; okta-response="omitCredentials,omitCredentialsLinks"';

/** Options of {@link OktaUsersApi.listUsers}. `search` and `filter` are exclusive (400 E0000033). */
export interface ListUsersOptions extends PageOptions {
  /**
   * Include DEPROVISIONED users. A plain `GET /api/v1/users` omits them; with this set the listing
   * uses `search=status pr`, which returns every status (as baton-okta does).
   */
  includeDeprovisioned?: boolean | undefined;
  /** An Okta search expression; replaces the default. Eventually consistent (okta-sdk-nodejs #422). */
  search?: string | undefined;
  /** An Okta filter expression (`status eq "DEPROVISIONED"`); includes DEPROVISIONED users. */
  filter?: string | undefined;
}

/** The body of `POST /api/v1/users`. */
export interface CreateUserInput {
  profile: OktaUserProfile & { login: string };
  credentials?: Record<string, unknown> | undefined;
  /** Group ids to join at creation (Okta accepts up to 20). */
  groupIds?: string[] | undefined;
  type?: { id: string } | undefined;
}

/** Query flags of `POST /api/v1/users`. */
export interface CreateUserOptions extends CallOptions {
  /** Default false here (Okta's default is true): the caller activates explicitly. */
  activate?: boolean | undefined;
  /** True for federated users whose credentials live elsewhere. */
  provider?: boolean | undefined;
  nextLogin?: "changePassword" | undefined;
}

/** Lifecycle calls that can e-mail the user; this layer defaults to not sending. */
export interface LifecycleOptions extends CallOptions {
  sendEmail?: boolean | undefined;
}

/** User calls. Ids are validated before they reach a URL. */
export interface OktaUsersApi {
  listUsers(options?: ListUsersOptions): Promise<Page<OktaUser>>;
  getUser(userId: string, options?: CallOptions): Promise<OktaUser>;
  createUser(input: CreateUserInput, options?: CreateUserOptions): Promise<OktaUser>;
  /** Partial profile update (`POST /api/v1/users/{id}`); a null value clears an attribute. */
  updateUserProfile(userId: string, profile: Record<string, unknown>, options?: CallOptions): Promise<OktaUser>;
  activateUser(userId: string, options?: LifecycleOptions): Promise<void>;
  deactivateUser(userId: string, options?: LifecycleOptions): Promise<void>;
  suspendUser(userId: string, options?: CallOptions): Promise<void>;
  unsuspendUser(userId: string, options?: CallOptions): Promise<void>;
  /** First call on a user that is not DEPROVISIONED only deactivates it; a second call deletes it. */
  deleteUser(userId: string, options?: LifecycleOptions): Promise<void>;
}

/** Builds the {@link OktaUsersApi} over a client. */
export function createOktaUsersApi(client: OktaClient): OktaUsersApi {
  const userPath = (userId: string): string => `/api/v1/users/${validateOktaId("user", userId)}`;

  async function lifecycle(userId: string, action: string, query: Record<string, boolean | undefined>, options: CallOptions): Promise<void> {
    await client.request({ method: "POST", path: `${userPath(userId)}/lifecycle/${action}`, query, ...options });
  }

  return {
    listUsers(options = {}) {
      if (options.search !== undefined && options.filter !== undefined) {
        throw new OktaError({ kind: "invalid", message: "listUsers takes search or filter, not both" });
      }
      const search = options.search ?? (options.filter === undefined && options.includeDeprovisioned ? "status pr" : undefined);
      return fetchPage<OktaUser>(client, "/api/v1/users", { search, filter: options.filter }, {
        ...options,
        limit: options.limit ?? OKTA_PAGE_LIMITS.users,
        headers: { "Content-Type": OMIT_CREDENTIALS_CONTENT_TYPE },
      });
    },

    async getUser(userId, options = {}) {
      const response = await client.request<OktaUser>({
        path: userPath(userId),
        headers: { "Content-Type": OMIT_CREDENTIALS_CONTENT_TYPE },
        ...options,
      });
      return expectObject(response.body, "getUser");
    },

    async createUser(input, options = {}) {
      const { activate = false, provider, nextLogin, ...call } = options;
      for (const groupId of input.groupIds ?? []) validateOktaId("group", groupId, "groupIds[]");
      const response = await client.request<OktaUser>({
        method: "POST",
        path: "/api/v1/users",
        query: { activate, provider, nextLogin },
        body: input,
        ...call,
      });
      return expectObject(response.body, "createUser");
    },

    async updateUserProfile(userId, profile, options = {}) {
      const response = await client.request<OktaUser>({ method: "POST", path: userPath(userId), body: { profile }, ...options });
      return expectObject(response.body, "updateUserProfile");
    },

    activateUser: (userId, { sendEmail = false, ...options } = {}) => lifecycle(userId, "activate", { sendEmail }, options),
    deactivateUser: (userId, { sendEmail = false, ...options } = {}) => lifecycle(userId, "deactivate", { sendEmail }, options),
    suspendUser: (userId, options = {}) => lifecycle(userId, "suspend", {}, options),
    unsuspendUser: (userId, options = {}) => lifecycle(userId, "unsuspend", {}, options),

    async deleteUser(userId, { sendEmail = false, ...options } = {}) {
      await client.request({ method: "DELETE", path: userPath(userId), query: { sendEmail }, ...options });
    },
  };
}
