import type { ServeProcess } from "../support/serve-process.js";
import { assert, assertEqual, type CheckRecorder } from "./support/checks.js";
import { grpcurl, GRPCURL_STATUS_OFFSET, type GrpcurlTarget } from "./support/grpcurl.js";

const UNAUTHENTICATED = 16;

export interface AuthCase {
  readonly label: string;
  /** How to reach the server, without any header. */
  readonly target: GrpcurlTarget;
  readonly bearerToken: string;
  readonly server: ServeProcess;
}

/**
 * A server started with --auth-token-file: grpcurl without the bearer token (or with a wrong one) gets
 * UNAUTHENTICATED on a connector RPC, with it succeeds; health and reflection need no token, as a
 * kubelet probe and a person exploring cannot send one.
 */
export async function checkBearerAuth(checks: CheckRecorder, c: AuthCase): Promise<void> {
  const validate = "c1.connector.v2.ConnectorService/Validate";
  const withHeader = (value: string): GrpcurlTarget => ({ ...c.target, headers: [`authorization: ${value}`] });

  await checks.check(`${c.label}: a connector RPC without the bearer token is refused with Unauthenticated`, async () => {
    const refused = await grpcurl(c.target, [], [validate], {});
    assertEqual(refused.code, GRPCURL_STATUS_OFFSET + UNAUTHENTICATED, `grpcurl exit code (${refused.stderr.trim()})`);
    assert(/Unauthenticated/.test(refused.stderr), `stderr: ${refused.stderr.trim()}`);
  });

  await checks.check(`${c.label}: a wrong bearer token is refused with Unauthenticated, and not logged`, async () => {
    const wrong = "interop-wrong-token-0123456789abcdef";
    const refused = await grpcurl(withHeader(`Bearer ${wrong}`), [], [validate], {});
    assertEqual(refused.code, GRPCURL_STATUS_OFFSET + UNAUTHENTICATED, `grpcurl exit code (${refused.stderr.trim()})`);
    assert(!c.server.stdout().includes(wrong) && !c.server.stderr().includes(wrong), "the server logged the presented token");
  });

  await checks.check(`${c.label}: with -H 'authorization: Bearer …' the same call succeeds`, async () => {
    const allowed = await grpcurl(withHeader(`Bearer ${c.bearerToken}`), [], [validate], {});
    assertEqual(allowed.code, 0, `grpcurl exit code (${allowed.stderr.trim()})`);
    assert(allowed.stdout.includes("sdkVersion"), allowed.stdout);
    assert(!c.server.stdout().includes(c.bearerToken) && !c.server.stderr().includes(c.bearerToken), "the server logged the bearer token");
  });

  await checks.check(`${c.label}: reflection (list, describe) and health work without the token`, async () => {
    const listed = await grpcurl(c.target, [], ["list"]);
    assertEqual(listed.code, 0, `list exit code (${listed.stderr.trim()})`);
    assert(listed.stdout.includes("c1.connector.v2.ConnectorService"), listed.stdout);
    const described = await grpcurl(c.target, [], ["describe", "c1.connector.v2.Grant"]);
    assertEqual(described.code, 0, `describe exit code (${described.stderr.trim()})`);
    const health = await grpcurl(c.target, [], ["grpc.health.v1.Health/Check"], {});
    assertEqual(health.code, 0, `health exit code (${health.stderr.trim()})`);
    assert(health.stdout.includes("SERVING"), health.stdout);
  });
}
