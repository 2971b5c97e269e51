/**
 * The byte limits baton-sdk's PGV rules put on the c1 messages. Go's validators count UTF-8 bytes, not
 * characters, and a message that breaks one fails the engine's whole sync, so everything we emit is
 * cut to fit, and requests that break them are refused with INVALID_ARGUMENT naming the field.
 */
export const LIMITS = {
  id: 1024,
  displayName: 1024,
  resourceDescription: 2048,
  entitlementDescription: 2048,
  resourceTypeDescription: 4096,
  statusDetails: 1024,
  pageSize: 250,
  pageToken: 1024 * 1024,
  activeSyncId: 1024,
  groupSourceType: 64,
  rawGroupSourceType: 256,
  appSourceType: 64,
  rawAppSourceType: 256,
  url: 1024,
} as const;

const encoder = new TextEncoder();

export function utf8Length(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/**
 * Cuts `value` to at most `maxBytes` UTF-8 bytes without splitting a character: a name such as
 * "Ünïcødé…" is shortened, never turned into invalid UTF-8 that a Go client would reject.
 */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes || utf8Length(value) <= maxBytes) return value;
  const bytes = encoder.encode(value);
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return Buffer.from(bytes.subarray(0, end)).toString("utf8");
}
