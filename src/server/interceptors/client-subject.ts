import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { TLSSocket } from "node:tls";
import { Code, ConnectError, createContextKey, type ContextValues, createContextValues, type Interceptor } from "@connectrpc/connect";
import { isPublicService } from "./exempt.js";

/** The subject of the client certificate a call came with, or undefined (no TLS, or no certificate). */
export interface ClientSubject {
  /** The whole subject in certificate order, e.g. `/C=US/O=Acme/CN=governance-engine`. */
  readonly whole: string;
  /** Every CN attribute value, e.g. `["governance-engine"]`. */
  readonly commonNames: readonly string[];
}

/** Where createConnectorServer puts the peer's subject for the interceptor to read. */
export const clientSubjectKey = createContextKey<ClientSubject | undefined>(undefined, { description: "mTLS client certificate subject" });

/** Reads the peer certificate once per TLS connection: every stream on a session shares it. */
const subjects = new WeakMap<TLSSocket, ClientSubject | undefined>();

/**
 * Context values for connectNodeAdapter: the client certificate's subject of the request's connection.
 * For HTTP/2 the request's socket is a proxy, so the session's own TLS socket is asked.
 */
export function clientSubjectContextValues(req: IncomingMessage | Http2ServerRequest): ContextValues {
  const values = createContextValues();
  const socket = ("stream" in req ? req.stream.session?.socket : req.socket) as TLSSocket | undefined;
  if (socket === undefined || typeof socket.getPeerX509Certificate !== "function") return values;
  if (!subjects.has(socket)) subjects.set(socket, subjectOf(socket));
  return values.set(clientSubjectKey, subjects.get(socket));
}

function subjectOf(socket: TLSSocket): ClientSubject | undefined {
  const cert = socket.getPeerX509Certificate();
  if (cert === undefined) return undefined;
  // X509Certificate.subject lists one attribute per line, in the order the certificate holds them.
  const attributes = cert.subject.split("\n").filter((line) => line !== "");
  return {
    whole: `/${attributes.join("/")}`,
    commonNames: attributes.filter((a) => a.startsWith("CN=")).map((a) => a.slice(3)),
  };
}

/** True when `subject` is allowed by one of `allowed` (`CN=<name>` or a whole `/K=V/…` subject), compared exactly. */
export function isAllowedClientSubject(subject: ClientSubject, allowed: readonly string[]): boolean {
  return allowed.some((rule) => (rule.startsWith("/") ? rule === subject.whole : subject.commonNames.length === 1 && rule === `CN=${subject.commonNames[0]}`));
}

/**
 * With --client-cert-subject, refuses every RPC but health and reflection whose client certificate is
 * not pinned, with PERMISSION_DENIED: the TLS handshake already proved the CA signed the certificate,
 * so the caller is authenticated, just not allowed. The message names the subject presented (public,
 * it is in the certificate) and the flag to change.
 */
export function createClientSubjectInterceptor(allowed: readonly string[]): Interceptor {
  return (next) => async (req) => {
    if (isPublicService(req.service.typeName)) return next(req);
    const subject = req.contextValues.get(clientSubjectKey);
    if (subject === undefined) {
      throw new ConnectError("no client certificate; this connector pins client certificate subjects (--client-cert-subject)", Code.Unauthenticated);
    }
    if (!isAllowedClientSubject(subject, allowed)) {
      throw new ConnectError(`client certificate subject ${subject.whole} is not allowed; add it to the connector's --client-cert-subject`, Code.PermissionDenied);
    }
    return next(req);
  };
}
