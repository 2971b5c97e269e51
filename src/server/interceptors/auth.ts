import { createHash, timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { isPublicService } from "./exempt.js";

/**
 * Requires `authorization: Bearer <token>` on every RPC except health and reflection.
 *
 * Both sides are hashed before the comparison so that timingSafeEqual always compares equal-length
 * buffers: neither the token's content nor its length leaks through response timing.
 */
export function createBearerAuthInterceptor(expectedToken: string): Interceptor {
  const expected = digest(expectedToken);
  return (next) => async (req) => {
    if (isPublicService(req.service.typeName)) return next(req);
    const header = req.header.get("authorization");
    if (header === null) {
      throw new ConnectError("missing authorization header; send `authorization: Bearer <token>`", Code.Unauthenticated);
    }
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new ConnectError("invalid bearer token", Code.Unauthenticated);
    }
    return next(req);
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
