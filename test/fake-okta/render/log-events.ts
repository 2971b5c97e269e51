import type { LogEventRecord } from "../org/system-log.js";
import { iso } from "./json-shapes.js";

/** Renders a System Log event (LogEvent) with the fields a connector reads and Okta always sends. */
export function renderLogEvent(event: LogEventRecord): Record<string, unknown> {
  return {
    actor: { ...event.actor },
    client: { userAgent: { rawUserAgent: "okta-sdk", os: "Unknown", browser: "UNKNOWN" }, zone: "null", device: "Unknown", ipAddress: "127.0.0.1" },
    authenticationContext: { authenticationStep: 0, externalSessionId: "unknown" },
    displayMessage: event.displayMessage,
    eventType: event.eventType,
    outcome: event.outcome.reason === undefined ? { result: event.outcome.result } : event.outcome,
    published: iso(event.published),
    securityContext: {},
    severity: event.severity,
    debugContext: { debugData: { requestUri: "", ...event.debugData } },
    legacyEventType: event.eventType.replace(/\./g, "_"),
    transaction: { type: "WEB", id: event.transactionId, detail: {} },
    uuid: event.uuid,
    version: "0",
    request: { ipChain: [] },
    target: event.targets.map((t) => ({ ...t })),
  };
}
