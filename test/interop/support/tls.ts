import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TlsFiles {
  /** The CA grpcurl (-cacert) and the harness (-tls-ca) trust. */
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 (grpcurl and grpc-go verify the IP SAN when
 * they dial an IP), made with the openssl CLI into `dir`. EC P-256 keys: quick to make.
 */
export function createTlsFiles(dir: string): TlsFiles {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl("req", "-x509", ...ecKey, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=okta-connector interop CA");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  openssl("req", ...ecKey, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "server.crt", "-extfile", "server.ext");
  return { caCert: join(dir, "ca.crt"), serverCert: join(dir, "server.crt"), serverKey: join(dir, "server.key") };
}
