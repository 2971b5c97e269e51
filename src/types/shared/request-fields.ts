/**
 * The wire names of the request fields a resource id arrives in, for INVALID_ARGUMENT messages from
 * the read paths. Every listing request carries the resource as `resource` (ListEntitlements,
 * ListGrants and their stream twins) and GetResource as `resource_id`, so a syncer can name the
 * field without knowing which RPC called it.
 */

/** `resource.id.resource` of ListEntitlements, ListGrants, StreamEntitlements and StreamGrants. */
export const LISTED_RESOURCE_ID_FIELD = "resource.id.resource";

/** `resource_id.resource` of GetResource. */
export const GET_RESOURCE_ID_FIELD = "resource_id.resource";
