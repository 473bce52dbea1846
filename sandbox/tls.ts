// A throwaway CA and a certificate for the load balancers' DNS names, so HTTPS listeners can be exercised through
// the ALB proxy (CONNECT host:443 is terminated here). Clients trust it with NODE_EXTRA_CA_CERTS (an ordinary Node
// setting). Made with the openssl CLI; when it is missing, HTTPS through the proxy is simply refused.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface AlbTls {
  key: string;
  cert: string;
  caPath: string;
  dispose(): void;
}

const NAMES = ["*.us-east-1.elb.amazonaws.com", "*.elb.amazonaws.com", "*.sandbox.example.com", "prefect.sandbox.example.com"];

export function makeAlbTls(): AlbTls | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefect-sandbox-tls-"));
  const f = (n: string) => path.join(dir, n);
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "ignore", timeout: 15_000 });
  try {
    openssl([
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
      "-days",
      "30",
      "-subj",
      "/CN=Prefect ECS Console sandbox CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl([
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      f("alb.key"),
      "-out",
      f("alb.csr"),
      "-subj",
      "/CN=sandbox ALB",
    ]);
    fs.writeFileSync(
      f("ext.cnf"),
      `subjectAltName=${NAMES.map((n) => `DNS:${n}`).join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
    );
    openssl([
      "x509",
      "-req",
      "-in",
      f("alb.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca.key"),
      "-CAcreateserial",
      "-out",
      f("alb.pem"),
      "-days",
      "30",
      "-extfile",
      f("ext.cnf"),
    ]);
    return {
      key: fs.readFileSync(f("alb.key"), "utf8"),
      cert: fs.readFileSync(f("alb.pem"), "utf8"),
      caPath: f("ca.pem"),
      dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}
