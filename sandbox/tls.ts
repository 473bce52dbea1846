// TLS like ACM (issue 10 item 5): a throwaway CA (clients trust it with NODE_EXTRA_CA_CERTS, an ordinary Node
// setting) signs, for each HTTPS listener, a certificate for exactly the names of the listener's ACM certificate
// (its domain and subject alternative names). ACM never issues one for *.elb.amazonaws.com, so a client that
// calls an ALB by its own DNS name fails hostname verification, as on AWS. Made with the openssl CLI; when it is
// missing, HTTPS through the proxy is simply refused.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface LeafCert {
  key: string;
  cert: string;
}

export interface AlbTls {
  caPath: string;
  /** A certificate signed by the CA for exactly these DNS names (cached per set of names). */
  certFor(names: string[]): LeafCert;
  dispose(): void;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export function makeAlbTls(): AlbTls | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefect-sandbox-tls-"));
  const f = (n: string) => path.join(dir, n);
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "ignore", timeout: 15_000 });
  try {
    openssl([
      "req",
      "-x509",
      ...EC,
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
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const leaves = new Map<string, LeafCert>();
  let serial = 0;
  return {
    caPath: f("ca.pem"),
    certFor(names) {
      const key = [...new Set(names.map((n) => n.toLowerCase()))].sort().join(",");
      const hit = leaves.get(key);
      if (hit) return hit;
      const n = ++serial;
      const [first = "sandbox"] = key.split(",");
      openssl(["req", ...EC, "-keyout", f(`leaf${n}.key`), "-out", f(`leaf${n}.csr`), "-subj", `/CN=${first}`]);
      fs.writeFileSync(
        f(`leaf${n}.cnf`),
        `subjectAltName=${key
          .split(",")
          .map((x) => `DNS:${x}`)
          .join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
      );
      openssl([
        "x509",
        "-req",
        "-in",
        f(`leaf${n}.csr`),
        "-CA",
        f("ca.pem"),
        "-CAkey",
        f("ca.key"),
        "-CAcreateserial",
        "-out",
        f(`leaf${n}.pem`),
        "-days",
        "30",
        "-extfile",
        f(`leaf${n}.cnf`),
      ]);
      const leaf = { key: fs.readFileSync(f(`leaf${n}.key`), "utf8"), cert: fs.readFileSync(f(`leaf${n}.pem`), "utf8") };
      leaves.set(key, leaf);
      return leaf;
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
