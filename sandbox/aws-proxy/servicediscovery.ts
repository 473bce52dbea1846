// Cloud Map: remember which VPC each private DNS namespace was created in. AWS associates the namespace's private
// hosted zone with that VPC (only there does `<service>.<namespace>` resolve); moto keeps the VPC but no API returns
// it, so the sandbox's DNS (sandbox/dns.ts) reads it from here.
import type { RewriterTable } from "./types";

export const serviceDiscoveryRewriters: RewriterTable = {
  "servicediscovery:CreatePrivateDnsNamespace": {
    after(env, call, res) {
      const name = call.req.json?.Name;
      const vpc = call.req.json?.Vpc;
      if (res.status === 200 && typeof name === "string" && typeof vpc === "string") {
        env.world.privateNamespaces.push({ name: name.toLowerCase().replace(/\.$/, ""), vpcId: vpc });
      }
      return res;
    },
  },
};
